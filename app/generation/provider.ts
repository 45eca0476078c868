/**
 * The one interface every image provider implements. Domain code, the job
 * system and the UI only ever see this: they decide by capabilities, never by
 * provider name.
 */

export type ImageFormat = "png" | "jpeg" | "webp";
export type Quality = "low" | "medium" | "high" | "auto";
export type Background = "transparent" | "opaque" | "auto";

export interface SizeRule {
  /** Fixed sizes the provider accepts, e.g. "1024x1024". */
  fixed: string[];
  /** Whether "auto" is accepted. */
  auto: boolean;
  /** Custom WxH within bounds, when the model allows it. */
  custom?: {
    minEdge: number;
    maxEdge: number;
    /** Both edges must be a multiple of this. */
    multipleOf: number;
    maxAspectRatio: number;
    maxPixels: number;
    minPixels: number;
  };
}

export interface ProviderCapabilities {
  generate: boolean;
  /** Edit with one or more reference images (product photo first). */
  editWithReferences: boolean;
  maxReferenceImages: number;
  /** Inpainting mask (PNG with alpha) supported. */
  mask: boolean;
  transparentBackground: boolean;
  sizes: SizeRule;
  formats: ImageFormat[];
  qualities: Quality[];
  maxImagesPerCall: number;
  /** Can render people wearing or holding the product. */
  onModel: boolean;
  /** Images come from a trained generative model (AI disclosure applies), not procedural rendering. */
  generativeAi: boolean;
  /** Whether the provider honours a seed (deterministic output). */
  deterministicSeed: boolean;
  /** Longest prompt the model accepts; absent = the caller assumes a conservative limit. */
  maxPromptChars?: number;
}

/** Amounts are in micro-dollars (1e-6 USD) so sums stay exact integers. */
export interface PriceModel {
  kind: "free" | "per-token" | "per-image";
  /** Per 1M tokens, micro-dollars. */
  textInputPerMTok?: number;
  imageInputPerMTok?: number;
  cachedInputPerMTok?: number;
  imageOutputPerMTok?: number;
  textOutputPerMTok?: number;
  /** Per output image, by quality and size, micro-dollars. */
  perImage?: Record<string, number>;
}

export interface ReferenceImage {
  data: Buffer;
  mimeType: string;
  filename: string;
}

/**
 * Art direction for the backdrop as data rather than prose. AI providers may
 * ignore it (the prompt says the same); procedural providers render from it.
 */
export interface SceneSpec {
  surface?: "paper" | "gradient" | "marble" | "wood" | "linen" | "concrete";
  palette?: "neutral" | "holiday" | "summer" | "autumn";
  /** "#rrggbb" backdrop colours, main (wall) first, then floor and accent; when present they win over `palette`. */
  colors?: string[];
  light?: "left" | "right" | "top";
  vignette?: boolean;
  reflection?: boolean;
}

export interface GenerationRequest {
  prompt: string;
  /** Product photo first, then any extra references. Empty = text-to-image. */
  references: ReferenceImage[];
  /** PNG whose transparent pixels may be repainted. Requires capabilities.mask. */
  mask?: Buffer;
  n: number;
  size: string;
  quality: Quality;
  background: Background;
  outputFormat: ImageFormat;
  /** 0-100, only for jpeg/webp. */
  outputCompression?: number;
  moderation?: "auto" | "low";
  /** Opaque per-shop identifier (a hash, never the shop domain). */
  safetyIdentifier?: string;
  /** Drives provider-side variety where supported and the studio provider always. */
  seed: number;
  /** Structured scene; providers that cannot read prose (studio) use it before the prompt. */
  scene?: SceneSpec;
  /** The preset shows the product on a person; providers without capabilities.onModel refuse. */
  onModel?: boolean;
  /** Request hard deadline in ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Usage {
  inputTextTokens: number;
  inputImageTokens: number;
  outputImageTokens: number;
  outputTextTokens: number;
  cachedInputTokens: number;
}

export interface GeneratedImage {
  data: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
  revisedPrompt?: string;
}

export interface GenerationResult {
  images: GeneratedImage[];
  usage: Usage | null;
  /** Actual cost in micro-dollars, computed from usage (0 for free providers). */
  costMicros: number;
  model: string;
  provider: string;
}

export interface ImageProvider {
  readonly id: string;
  readonly model: string;
  readonly capabilities: ProviderCapabilities;
  readonly price: PriceModel;
  /** Estimated cost in micro-dollars before running, for one call of this request. */
  estimateCostMicros(request: Pick<GenerationRequest, "n" | "size" | "quality" | "references" | "prompt">): number;
  generate(request: GenerationRequest): Promise<GenerationResult>;
}
