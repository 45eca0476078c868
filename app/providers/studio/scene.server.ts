import sharp from "sharp";
import type { RawImage } from "~/images/raw.server";
import type { StudioSceneSpec } from "./scene";

/** Backdrops are smooth, so they are drawn at this edge and upscaled; grain is added at full size. */
const WORKING_EDGE = 768;
/** ± levels of film grain: hides banding in the upscaled gradients. */
const GRAIN = 3;

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.max(0, Math.min(1, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/** Integer lattice hash → [0, 1); seeded so each candidate's texture differs. */
function lattice(ix: number, iy: number, seed: number): number {
  let h = Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1) ^ seed;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function valueNoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const top = lattice(ix, iy, seed) * (1 - sx) + lattice(ix + 1, iy, seed) * sx;
  const bottom = lattice(ix, iy + 1, seed) * (1 - sx) + lattice(ix + 1, iy + 1, seed) * sx;
  return top * (1 - sy) + bottom * sy;
}

function fbm(x: number, y: number, seed: number, octaves: number): number {
  let sum = 0;
  let amplitude = 0.5;
  let frequency = 1;
  for (let o = 0; o < octaves; o++) {
    sum += amplitude * valueNoise(x * frequency, y * frequency, seed + o * 1013);
    amplitude *= 0.5;
    frequency *= 2;
  }
  return sum;
}

/**
 * Texture on the floor plane, in floor coordinates (u across, v into depth),
 * returning how far to move the floor colour toward the accent colour (0..1)
 * and a brightness multiplier.
 */
function floorTexture(spec: StudioSceneSpec, u: number, v: number): [mix: number, brightness: number] {
  const seed = spec.textureSeed;
  switch (spec.surface) {
    case "marble": {
      const turbulence = fbm(u * 3, v * 3, seed, 5);
      const vein = Math.abs(Math.sin((u * 2.2 + v * 1.3 + turbulence * 4.5) * Math.PI));
      return [(1 - smoothstep(0, 0.09, vein)) * 0.75 + fbm(u * 9, v * 9, seed + 7, 3) * 0.08, 1];
    }
    case "wood": {
      const across = u * 4 + 8;
      const plank = Math.floor(across);
      const grain = Math.sin((v * 28 + fbm(u * 2, v * 22, seed + plank, 4) * 6) * Math.PI);
      const seam = Math.abs(across - plank - 0.5) > 0.49 ? 0.8 : 1;
      return [0.25 + grain * 0.18, (0.92 + lattice(plank, 0, seed) * 0.14) * seam];
    }
    case "linen": {
      const weave = Math.sin(u * 420) * Math.sin(v * 420);
      return [0.12 + weave * 0.08 + (fbm(u * 60, v * 6, seed, 2) - 0.5) * 0.2, 1];
    }
    case "concrete": {
      const speck = lattice(Math.floor(u * 900), Math.floor(v * 900), seed) > 0.985 ? 0.25 : 0;
      return [fbm(u * 6, v * 6, seed, 5) * 0.45 + speck, 1];
    }
    case "paper":
    case "gradient":
      return [0, 1];
  }
}

function mixChannel(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

/** Lighting, vignette and sweep all as one brightness term per pixel. */
function lightFactor(spec: StudioSceneSpec, x: number, y: number): number {
  const s = spec.lightStrength;
  const gx = spec.light === "left" ? 0.5 - x : spec.light === "right" ? x - 0.5 : 0;
  const gy = spec.light === "top" ? 0.5 - y : 0;
  let factor = 1 + (gx + gy) * 0.35 * s;
  const lx = spec.light === "left" ? 0.2 : spec.light === "right" ? 0.8 : 0.5;
  const ly = spec.light === "top" ? 0.05 : 0.3;
  factor += 0.12 * s * Math.exp(-((x - lx) ** 2 + (y - ly) ** 2) / 0.08);
  if (spec.surface === "gradient") factor *= 1.08 - 0.3 * Math.sqrt((x - 0.5) ** 2 + (y - spec.horizon) ** 2);
  if (spec.vignette) factor *= 1 - 0.38 * smoothstep(0.45, 0.95, Math.sqrt((x - 0.5) ** 2 + (y - 0.5) ** 2) * 1.3);
  return factor;
}

/** Seeded grain at full resolution; also breaks up banding from the upscale. */
function addGrain(data: Buffer, seed: number): void {
  let state = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i += 3) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const n = ((state & 0xff) / 255 - 0.5) * 2 * GRAIN;
    for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, (data[i + c] ?? 0) + n));
  }
}

/** Renders the backdrop: wall above the horizon, a soft sweep, then the textured floor. */
export async function renderScene(spec: StudioSceneSpec, width: number, height: number): Promise<RawImage> {
  const scale = Math.min(1, WORKING_EDGE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const small = Buffer.alloc(w * h * 3);
  // Paper and gradient sweeps blend wall into floor over a wide band; hard surfaces meet the wall at a crisp edge.
  const sweep = spec.surface === "paper" || spec.surface === "gradient" ? 0.16 : 0.012;
  const aspect = width / height;
  for (let py = 0; py < h; py++) {
    const y = (py + 0.5) / h;
    const floorBlend = smoothstep(spec.horizon - sweep, spec.horizon + sweep, y);
    const depth = Math.max(0, (y - spec.horizon) / (1 - spec.horizon));
    const v = 1 / (0.25 + depth);
    for (let px = 0; px < w; px++) {
      const x = (px + 0.5) / w;
      const [mix, brightness] = floorBlend > 0 ? floorTexture(spec, ((x - 0.5) * aspect) / (0.25 + depth) * 0.5, v) : [0, 1];
      const light = lightFactor(spec, x, y);
      const o = (py * w + px) * 3;
      for (let c = 0; c < 3; c++) {
        const floor = mixChannel(spec.floor[c] ?? 0, spec.accent[c] ?? 0, Math.max(0, Math.min(1, mix))) * brightness;
        const wallTone = (spec.wall[c] ?? 0) * (1 + 0.04 * (0.5 - y));
        small[o + c] = Math.max(0, Math.min(255, Math.round(mixChannel(wallTone, floor, floorBlend) * light)));
      }
    }
  }
  const data = await sharp(small, { raw: { width: w, height: h, channels: 3 } })
    .resize(width, height, { fit: "fill", kernel: "cubic" })
    .raw()
    .toBuffer();
  addGrain(data, spec.textureSeed);
  return { data, width, height, channels: 3 };
}
