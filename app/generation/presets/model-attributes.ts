/**
 * Controls for on-model images. Skin tone uses the Monk Skin Tone scale
 * (Google / Dr. Ellis Monk, 10 tones), chosen because it was designed to
 * represent the full range of skin tones evenly; the swatch colours are the
 * scale's published reference values.
 */

export interface MonkSkinTone {
  tone: number;
  swatch: string;
  description: string;
}

export const MONK_SKIN_TONES: readonly MonkSkinTone[] = [
  { tone: 1, swatch: "#f6ede4", description: "very fair" },
  { tone: 2, swatch: "#f3e7db", description: "fair" },
  { tone: 3, swatch: "#f7ead0", description: "light" },
  { tone: 4, swatch: "#eadaba", description: "light-medium" },
  { tone: 5, swatch: "#d7bd96", description: "medium" },
  { tone: 6, swatch: "#a07e56", description: "medium-tan" },
  { tone: 7, swatch: "#825c43", description: "tan-brown" },
  { tone: 8, swatch: "#604134", description: "brown" },
  { tone: 9, swatch: "#3a312a", description: "dark brown" },
  { tone: 10, swatch: "#292420", description: "deep dark brown" },
];
export const MONK_TONE_MIN = 1;
export const MONK_TONE_MAX = 10;

export const BODY_TYPES = ["petite", "slim", "athletic", "average build", "curvy", "plus-size"] as const;
export type BodyType = (typeof BODY_TYPES)[number];

export const AGE_RANGES = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"] as const;
export type AgeRange = (typeof AGE_RANGES)[number];

export const GENDER_PRESENTATIONS = ["feminine", "masculine", "androgynous"] as const;
export type GenderPresentation = (typeof GENDER_PRESENTATIONS)[number];

export interface ModelAttributes {
  skinTone: number;
  bodyType: BodyType;
  ageRange: AgeRange;
  /** Absent = left to the product (a dress, a men's shirt) rather than guessed. */
  genderPresentation?: GenderPresentation;
  pose: string;
}

/** What a merchant fixed for the whole batch; everything else is spread. */
export type PinnedModelAttributes = Partial<ModelAttributes>;

export function describeModel(model: ModelAttributes): string {
  const tone = MONK_SKIN_TONES[model.skinTone - 1];
  const who = model.genderPresentation ? `a ${model.genderPresentation}-presenting model` : "a model";
  const age = model.ageRange === "65+" ? "aged 65 or over" : `aged ${model.ageRange.replace("-", " to ")}`;
  const skin = tone ? `${tone.description} skin (Monk Skin Tone ${tone.tone} of 10)` : "natural skin";
  return `${who} ${age} with ${skin} and a ${model.bodyType} body type`;
}
