import type { Background, ProviderCapabilities, Quality } from "../provider";

export const PRESET_CATEGORIES = [
  "packshot",
  "studio",
  "lifestyle",
  "flat-lay",
  "seasonal",
  "on-model",
  "art-style",
] as const;
export type PresetCategory = (typeof PRESET_CATEGORIES)[number];

/** Boolean capabilities a preset can depend on, named exactly as in ProviderCapabilities. */
export const REQUIRABLE_CAPABILITIES = [
  "generate",
  "editWithReferences",
  "mask",
  "transparentBackground",
  "onModel",
] as const satisfies readonly (keyof ProviderCapabilities)[];
export type RequiredCapability = (typeof REQUIRABLE_CAPABILITIES)[number];

export const SCENE_KINDS = ["paper", "gradient", "marble", "wood", "linen", "concrete"] as const;
export type SceneKind = (typeof SCENE_KINDS)[number];

export const LIGHT_DIRECTIONS = ["left", "right", "top", "front", "top-left", "top-right"] as const;
export type LightDirection = (typeof LIGHT_DIRECTIONS)[number];

/** What the built-in offline provider needs to render a preset's backdrop without a model. */
export interface StudioScene {
  kind: SceneKind;
  /** "#rrggbb", main backdrop colour first. */
  palette: string[];
  light: LightDirection;
  /** 0 = none, 1 = strong. */
  vignette: number;
  /** Floor reflection strength, 0 = none, 1 = mirror. */
  reflection: number;
}

/** Placeholders a template may use; anything else in braces is rejected for custom presets. */
export const TEMPLATE_PLACEHOLDERS = ["product", "productType", "scene", "angle", "lighting", "model", "pose"] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

export const ON_MODEL_SUBJECTS = ["apparel", "footwear", "jewelry"] as const;
export type OnModelSubject = (typeof ON_MODEL_SUBJECTS)[number];

export interface OnModelSetup {
  subject: OnModelSubject;
  /** How the person is framed so the product stays the focus, e.g. "cropped at the knee". */
  framing: string;
  poses: string[];
}

export interface Preset {
  id: string;
  name: string;
  category: PresetCategory;
  /** Prompt text with {placeholders} from TEMPLATE_PLACEHOLDERS. */
  template: string;
  size: string;
  quality: Quality;
  background: Background;
  requires: RequiredCapability[];
  /** Product types this preset suits (lowercase); absent = any product. */
  productTypes?: string[];
  studioScene: StudioScene;
  /**
   * The product photo is kept pixel-for-pixel and only its surroundings are
   * made. True for scene presets; on-model presets redraw the product on a
   * person, so they cannot be.
   */
  productPreserving: boolean;
  /** Alternatives the candidates of one batch are spread over. */
  scenes: string[];
  angles: string[];
  lighting: string[];
  /** Preset-specific things to keep out of the image. */
  avoid: string[];
  onModel?: OnModelSetup;
}
