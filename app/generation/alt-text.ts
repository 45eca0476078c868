import { rgbToLab, deltaE } from "~/images/colour";
import { describeModel } from "./presets/model-attributes";
import type { Preset, SceneKind } from "./presets/types";
import type { Variation } from "./presets/variations";

/** Plain colour words a listener knows; the nearest (in Lab) names a backdrop hex. */
const COLOUR_NAMES: [name: string, hex: string][] = [
  ["white", "#ffffff"],
  ["cream", "#f3ecdc"],
  ["light grey", "#d6d6d6"],
  ["grey", "#9a9a9a"],
  ["charcoal", "#3a3d42"],
  ["black", "#121212"],
  ["blush pink", "#f2d4d0"],
  ["pink", "#e68fac"],
  ["red", "#c0282d"],
  ["terracotta", "#c9775a"],
  ["orange", "#ec8a2d"],
  ["sand", "#e2d3b9"],
  ["brown", "#7a4a2a"],
  ["yellow", "#f2d649"],
  ["sage green", "#c2ceb6"],
  ["green", "#3f8f4a"],
  ["dark green", "#2f4a3a"],
  ["pale blue", "#cfe0ec"],
  ["blue", "#2f6db5"],
  ["navy", "#1f2a4a"],
  ["purple", "#6a3d8f"],
];

function lab(hex: string): Float32Array {
  const out = new Float32Array(3);
  rgbToLab(parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16), out, 0);
  return out;
}

const NAMED = COLOUR_NAMES.map(([name, hex]) => ({ name, lab: lab(hex) }));

export function colourName(hex: string): string {
  const target = lab(hex);
  let best = NAMED[0];
  for (const candidate of NAMED) {
    if (best === undefined || deltaE(candidate.lab, 0, target, 0) < deltaE(best.lab, 0, target, 0)) best = candidate;
  }
  return best?.name ?? "plain";
}

const SURFACE_WORDS: Record<SceneKind, string> = {
  paper: "seamless paper",
  gradient: "gradient",
  marble: "marble",
  wood: "wooden",
  linen: "linen",
  concrete: "concrete",
};

export interface AltTextInput {
  productTitle: string;
  preset: Preset;
  variation: Variation;
  /** The backdrop was drawn from the preset's scene data (colours, surface) rather than its prose. */
  backdropFromSceneData: boolean;
  transparent: boolean;
}

function sentence(text: string): string {
  const trimmed = text.trim().replace(/[.\s]+$/, "");
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}.`;
}

/**
 * What a screen-reader user needs to know about the picture: the product,
 * where it is shown, and for on-model images who wears it and how. Never the
 * prompt: it is written for a model, not for people.
 */
export function candidateAltText(input: AltTextInput): string {
  const { preset, variation, transparent } = input;
  const title = input.productTitle.replace(/\s+/g, " ").trim() || "The product";
  if (transparent) return sentence(`${title} on a transparent background`);
  if (variation.model) {
    const person = describeModel(variation.model).replace(/ \(Monk Skin Tone \d+ of 10\)/, "");
    return sentence(`${person} wearing ${title}, ${variation.model.pose}, in ${variation.scene}`);
  }
  if (input.backdropFromSceneData) {
    const { kind, palette } = variation.studioScene;
    const colour = colourName(palette[0] ?? "#ffffff");
    return kind === "paper" || kind === "gradient"
      ? sentence(`${title} on a ${colour} ${SURFACE_WORDS[kind]} backdrop`)
      : sentence(`${title} on a ${SURFACE_WORDS[kind]} surface against a ${colour} wall`);
  }
  // The template says how the product relates to its scene ("in", "on", "arranged on").
  const preposition = /\b(in|on|as|against|at)\s+\{scene\}/.exec(preset.template)?.[1] ?? "in";
  return sentence(`${title} ${preposition} ${variation.scene}`);
}
