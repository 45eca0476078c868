import {
  AGE_RANGES,
  BODY_TYPES,
  MONK_TONE_MAX,
  MONK_TONE_MIN,
  type ModelAttributes,
  type PinnedModelAttributes,
} from "./model-attributes";
import { LIGHT_DIRECTIONS, type Preset, type StudioScene } from "./types";

export interface Variation {
  index: number;
  /** Per-candidate seed for GenerationRequest.seed. */
  seed: number;
  scene: string;
  angle: string;
  lighting: string;
  studioScene: StudioScene;
  model?: ModelAttributes;
}

export const MAX_CANDIDATES = 10;

/**
 * Plans how the candidates of one batch differ. The same preset, count, seed
 * and pins always give the same plan, so a retried job asks for the same
 * images and the merchant sees the same spread after a reload.
 */
export function planVariations(input: {
  preset: Preset;
  count: number;
  seed: number;
  pinned?: PinnedModelAttributes;
}): Variation[] {
  const { preset, count, seed, pinned = {} } = input;
  if (!Number.isInteger(count) || count < 1 || count > MAX_CANDIDATES) {
    throw new RangeError(`count must be an integer from 1 to ${MAX_CANDIDATES}, got ${count}`);
  }
  // Mixing in the preset id keeps two presets in one batch from moving in lockstep.
  const random = mulberry32((seed ^ fnv1a(preset.id)) >>> 0);

  const scenes = spread(preset.scenes, count, random);
  const angles = spread(preset.angles, count, random);
  const lighting = spread(preset.lighting, count, random);
  // The preset's own light comes first so a single candidate looks as designed.
  const lights = [preset.studioScene.light, ...shuffle(LIGHT_DIRECTIONS.filter((l) => l !== preset.studioScene.light), random)];

  const onModel = preset.onModel;
  const tones = onModel ? spreadSkinTones(count, random) : [];
  const bodies = onModel ? spread(BODY_TYPES, count, random) : [];
  const ages = onModel ? spread(AGE_RANGES, count, random) : [];
  const poses = onModel ? spread(onModel.poses, count, random) : [];

  return Array.from({ length: count }, (_, i) => {
    const variation: Variation = {
      index: i,
      seed: Math.floor(random() * 2 ** 32),
      scene: at(scenes, i),
      angle: at(angles, i),
      lighting: at(lighting, i),
      studioScene: { ...preset.studioScene, light: at(lights, i % lights.length) },
    };
    if (onModel) {
      variation.model = {
        skinTone: pinned.skinTone ?? at(tones, i),
        bodyType: pinned.bodyType ?? at(bodies, i),
        ageRange: pinned.ageRange ?? at(ages, i),
        pose: pinned.pose ?? at(poses, i),
        ...(pinned.genderPresentation ? { genderPresentation: pinned.genderPresentation } : {}),
      };
    }
    return variation;
  });
}

/**
 * One Monk tone from each of `count` equal slices of the scale, assigned to
 * candidates in shuffled order: four candidates get one light, two medium and
 * one deep tone rather than four neighbours. Past ten the scale repeats.
 */
function spreadSkinTones(count: number, random: () => number): number[] {
  const span = MONK_TONE_MAX - MONK_TONE_MIN + 1;
  const slices = Math.min(count, span);
  const tones: number[] = [];
  for (let s = 0; s < slices; s++) {
    const from = Math.floor((s * span) / slices);
    const to = Math.floor(((s + 1) * span) / slices);
    tones.push(MONK_TONE_MIN + from + Math.floor(random() * (to - from)));
  }
  return spread(tones, count, random);
}

/** Distinct values while they last, in seeded order, then repeating. */
function spread<T>(values: readonly T[], count: number, random: () => number): T[] {
  if (values.length === 0) throw new Error("A preset must offer at least one value for every variation axis");
  const order = shuffle(values, random);
  return Array.from({ length: count }, (_, i) => at(order, i % order.length));
}

function shuffle<T>(values: readonly T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [at(out, j), at(out, i)];
  }
  return out;
}

function at<T>(values: readonly T[], i: number): T {
  const value = values[i];
  if (value === undefined) throw new Error(`index ${i} out of range`);
  return value;
}

/** Small, fast, well-distributed 32-bit PRNG; plenty for picking among a few options. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
