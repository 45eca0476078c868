import type { SceneSpec } from "~/generation/provider";
import { between, pick, type Rng } from "./prng";

type Surface = NonNullable<SceneSpec["surface"]>;
type Palette = NonNullable<SceneSpec["palette"]>;
type Light = NonNullable<SceneSpec["light"]>;

export const STUDIO_SURFACES: readonly [Surface, ...Surface[]] = ["paper", "gradient", "marble", "wood", "linen", "concrete"];
const LIGHTS: readonly [Light, ...Light[]] = ["left", "right", "top"];

type Rgb = readonly [number, number, number];

/** A fully resolved scene: everything the renderer needs, nothing left to chance. */
export interface StudioSceneSpec {
  surface: Surface;
  palette: Palette;
  light: Light;
  vignette: boolean;
  reflection: boolean;
  /** Backdrop (wall) and surface (floor) base colours. */
  wall: Rgb;
  floor: Rgb;
  /** Texture accent: marble veins, wood grain, linen weave. */
  accent: Rgb;
  /** Horizon as a fraction of height; the product stands just below it. */
  horizon: number;
  /** Light strength 0..1 and the seed for texture noise. */
  lightStrength: number;
  textureSeed: number;
  /** Product height as a fraction of the canvas height, and horizontal offset as a fraction of width. */
  productScale: number;
  productOffset: number;
}

/** Colour choices per palette and surface; seeds pick among them so candidates differ. */
const PALETTES: Record<Palette, { walls: readonly [Rgb, ...Rgb[]]; accents: readonly [Rgb, ...Rgb[]] }> = {
  neutral: {
    walls: [[236, 234, 230], [222, 224, 228], [240, 236, 226], [214, 210, 204]],
    accents: [[150, 150, 155], [120, 110, 100], [170, 165, 160]],
  },
  holiday: {
    walls: [[128, 22, 30], [22, 70, 48], [232, 224, 210], [30, 40, 70]],
    accents: [[200, 160, 60], [230, 230, 235], [180, 40, 40]],
  },
  summer: {
    walls: [[250, 226, 170], [170, 220, 235], [250, 200, 190], [200, 235, 210]],
    accents: [[240, 160, 60], [60, 150, 200], [250, 250, 240]],
  },
  autumn: {
    walls: [[196, 120, 60], [150, 90, 50], [220, 190, 150], [110, 70, 45]],
    accents: [[120, 50, 30], [200, 150, 70], [90, 60, 40]],
  },
};

const SURFACE_BASE: Partial<Record<Surface, readonly [Rgb, ...Rgb[]]>> = {
  marble: [[238, 236, 234], [225, 225, 228], [60, 60, 64]],
  wood: [[170, 120, 80], [140, 95, 60], [200, 160, 115]],
  concrete: [[170, 170, 168], [150, 148, 145], [190, 188, 184]],
  linen: [[228, 220, 205], [215, 210, 200], [200, 190, 175]],
};

function shade(colour: Rgb, factor: number): Rgb {
  const channel = (c: number) => Math.max(0, Math.min(255, Math.round(c * factor)));
  return [channel(colour[0]), channel(colour[1]), channel(colour[2])];
}

function parseHex(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`Scene colour ${JSON.stringify(hex)} is not #rrggbb`);
  return [parseInt(match[1] ?? "0", 16), parseInt(match[2] ?? "0", 16), parseInt(match[3] ?? "0", 16)];
}

/**
 * Fills what the request left open, from the seed's random stream. Explicit
 * colours are the preset's art direction, so they replace the palette's picks
 * (the stream is still drawn from, keeping the other choices seed-stable).
 */
export function resolveScene(requested: SceneSpec, rng: Rng): StudioSceneSpec {
  const surface = requested.surface ?? pick(rng, STUDIO_SURFACES);
  const palette = requested.palette ?? "neutral";
  const { walls, accents } = PALETTES[palette];
  const [wallHex, floorHex, accentHex] = requested.colors ?? [];
  const pickedWall = pick(rng, walls);
  const wall = wallHex ? parseHex(wallHex) : pickedWall;
  const surfaceBase = SURFACE_BASE[surface];
  // Textured surfaces keep their material colour unless a seasonal palette or explicit colours ask otherwise.
  const pickedFloor =
    surfaceBase && palette === "neutral" && !wallHex ? pick(rng, surfaceBase) : shade(wall, between(rng, 0.86, 0.97));
  const floor = floorHex ? parseHex(floorHex) : pickedFloor;
  const light = requested.light ?? pick(rng, LIGHTS);
  const vignette = requested.vignette ?? rng() < 0.5;
  const reflection = requested.reflection ?? (surface === "gradient" && rng() < 0.5);
  const pickedAccent = pick(rng, accents);
  return {
    surface,
    palette,
    light,
    vignette,
    reflection,
    wall,
    floor,
    accent: accentHex ? parseHex(accentHex) : wallHex ? shade(floor, 0.7) : pickedAccent,
    horizon: between(rng, 0.55, 0.68),
    lightStrength: between(rng, 0.35, 0.8),
    textureSeed: Math.floor(rng() * 2 ** 31),
    productScale: between(rng, 0.58, 0.72),
    productOffset: between(rng, -0.12, 0.12),
  };
}

/**
 * Fallback only, for requests that carry no `scene`: picks out plain
 * keywords. Anything not mentioned stays open for the seed to choose.
 */
export function sceneFromPrompt(prompt: string): SceneSpec {
  const text = prompt.toLowerCase();
  const has = (pattern: RegExp) => pattern.test(text);
  const spec: SceneSpec = {};
  const surfaces: [Surface, RegExp][] = [
    ["marble", /\bmarble\b/],
    ["wood", /\bwood(en)?\b/],
    ["linen", /\b(linen|fabric|cloth)\b/],
    ["concrete", /\b(concrete|cement|stone)\b/],
    ["gradient", /\bgradient\b/],
    ["paper", /\b(paper|seamless)\b/],
  ];
  const surface = surfaces.find(([, pattern]) => has(pattern))?.[0];
  if (surface) spec.surface = surface;
  if (has(/\b(holiday|christmas|festive|winter)\b/)) spec.palette = "holiday";
  else if (has(/\bsummer\b/)) spec.palette = "summer";
  else if (has(/\b(autumn|fall)\b/)) spec.palette = "autumn";
  const light = /\blight(?:ing|ed)?\s+from\s+(?:the\s+)?(left|right|top|above)\b/.exec(text)?.[1];
  if (light) spec.light = light === "above" ? "top" : (light as Light);
  if (has(/\bvignette\b/)) spec.vignette = true;
  if (has(/\b(reflection|reflective|mirror(ed)?)\b/)) spec.reflection = true;
  return spec;
}
