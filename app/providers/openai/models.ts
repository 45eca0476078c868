import type { Quality, SizeRule } from "~/generation/provider";
import type { TokenPrice } from "~/generation/token-price";

/**
 * What we know about each GPT Image model. This is data: prices, limits and
 * shutdown dates change, and each change should be a one-line edit here.
 */

export type OpenAiImageModelId = "gpt-image-2" | "gpt-image-1.5" | "gpt-image-1-mini" | "gpt-image-1";

export const DEFAULT_OPENAI_IMAGE_MODEL: OpenAiImageModelId = "gpt-image-2";

export type Lifecycle =
  | { status: "ga" }
  | {
      status: "deprecated";
      /** ISO date (UTC); from this day on the API refuses the model. */
      shutdownDate: string;
      replacement: OpenAiImageModelId;
    };


export type FixedSize = "1024x1024" | "1024x1536" | "1536x1024";

export interface OpenAiModelFacts {
  id: OpenAiImageModelId;
  sizes: SizeRule;
  /**
   * The `input_fidelity` value we send on edits, or null to omit the field.
   * Product photos need the product reproduced faithfully, so we ask for the
   * highest fidelity the model accepts.
   */
  inputFidelity: "high" | null;
  transparentBackground: boolean;
  maxImagesPerCall: number;
  maxReferenceImages: number;
  price: TokenPrice;
  /** Output image tokens per image for the standard sizes, by quality. */
  outputTokens: Record<Exclude<Quality, "auto">, Record<FixedSize, number>>;
  /**
   * Image input tokens we budget per reference image. The API does not
   * publish a formula for GPT Image inputs; this is a deliberately generous
   * figure (high input fidelity adds several thousand tokens per image) so
   * estimates err high. Recalibrate from recorded `usage` once we have data.
   */
  estimatedTokensPerReference: number;
  lifecycle: Lifecycle;
}

const STANDARD_SIZES: FixedSize[] = ["1024x1024", "1536x1024", "1024x1536"];

const STANDARD_SIZE_RULE: SizeRule = { fixed: STANDARD_SIZES, auto: true };

/**
 * Published for gpt-image-1 (OpenAI image generation guide, "Cost and
 * latency"). No separate tables are published for the later models; we use
 * the same counts for all of them until measured usage says otherwise.
 */
const GPT_IMAGE_OUTPUT_TOKENS: OpenAiModelFacts["outputTokens"] = {
  low: { "1024x1024": 272, "1024x1536": 408, "1536x1024": 400 },
  medium: { "1024x1024": 1056, "1024x1536": 1584, "1536x1024": 1568 },
  high: { "1024x1024": 4160, "1024x1536": 6240, "1536x1024": 6208 },
};

const usd = (dollars: number) => Math.round(dollars * 1_000_000);

// OpenAI pricing page at gpt-image-1.5's launch (Dec 2025): text in $5,
// cached text in $1.25, image in $8, image out $32, text out $10 per 1M.
const GPT_IMAGE_1_5_PRICE: TokenPrice = {
  kind: "per-token",
  textInputPerMTok: usd(5),
  imageInputPerMTok: usd(8),
  cachedInputPerMTok: usd(1.25),
  imageOutputPerMTok: usd(32),
  textOutputPerMTok: usd(10),
};

export const OPENAI_IMAGE_MODELS: Record<OpenAiImageModelId, OpenAiModelFacts> = {
  "gpt-image-2": {
    id: "gpt-image-2",
    // The SDK (openai@7.57) and API reference state: edges divisible by 16,
    // aspect ratio between 1:3 and 3:1, at most 3840x2160. The lower bounds are
    // not published ("the model's current pixel and edge limits"); 256 px and
    // 512x512 pixels are our conservative assumption — the API has the last
    // word and its 400 maps to invalid_request anyway.
    sizes: {
      fixed: STANDARD_SIZES,
      auto: true,
      custom: {
        minEdge: 256,
        maxEdge: 3840,
        multipleOf: 16,
        maxAspectRatio: 3,
        maxPixels: 3840 * 2160,
        minPixels: 512 * 512,
      },
    },
    // The SDK says "For gpt-image-2, omit this parameter".
    inputFidelity: null,
    // Transparency is "in preview" for gpt-image-2 per the SDK docs; we do not
    // advertise a preview feature as a capability the UI can rely on.
    transparentBackground: false,
    maxImagesPerCall: 10,
    maxReferenceImages: 16,
    // ASSUMPTION: gpt-image-2 prices were not available to us when this was
    // written, so it is billed at gpt-image-1.5's. Source to check:
    // https://platform.openai.com/docs/pricing (Image tokens table).
    price: GPT_IMAGE_1_5_PRICE,
    outputTokens: GPT_IMAGE_OUTPUT_TOKENS,
    estimatedTokensPerReference: 6000,
    lifecycle: { status: "ga" },
  },
  "gpt-image-1.5": {
    id: "gpt-image-1.5",
    sizes: STANDARD_SIZE_RULE,
    inputFidelity: "high",
    transparentBackground: true,
    maxImagesPerCall: 10,
    maxReferenceImages: 16,
    price: GPT_IMAGE_1_5_PRICE,
    outputTokens: GPT_IMAGE_OUTPUT_TOKENS,
    estimatedTokensPerReference: 6000,
    lifecycle: { status: "deprecated", shutdownDate: "2026-12-01", replacement: "gpt-image-2" },
  },
  "gpt-image-1-mini": {
    id: "gpt-image-1-mini",
    sizes: STANDARD_SIZE_RULE,
    // The API reference lists input_fidelity as unsupported for mini, the SDK
    // as "low only" — low is the default, so omitting it is right either way.
    inputFidelity: null,
    transparentBackground: true,
    maxImagesPerCall: 10,
    maxReferenceImages: 16,
    // OpenAI pricing page: text in $2, cached text in $0.20, image in $2.50,
    // image out $8 per 1M tokens. No text output is billed for mini.
    price: {
      kind: "per-token",
      textInputPerMTok: usd(2),
      imageInputPerMTok: usd(2.5),
      cachedInputPerMTok: usd(0.2),
      imageOutputPerMTok: usd(8),
      textOutputPerMTok: 0,
    },
    outputTokens: GPT_IMAGE_OUTPUT_TOKENS,
    estimatedTokensPerReference: 1000,
    lifecycle: { status: "deprecated", shutdownDate: "2026-12-01", replacement: "gpt-image-2" },
  },
  "gpt-image-1": {
    id: "gpt-image-1",
    sizes: STANDARD_SIZE_RULE,
    inputFidelity: "high",
    transparentBackground: true,
    maxImagesPerCall: 10,
    maxReferenceImages: 16,
    // OpenAI pricing page: text in $5, cached text in $1.25, image in $10,
    // image out $40 per 1M tokens.
    price: {
      kind: "per-token",
      textInputPerMTok: usd(5),
      imageInputPerMTok: usd(10),
      cachedInputPerMTok: usd(1.25),
      imageOutputPerMTok: usd(40),
      textOutputPerMTok: 0,
    },
    outputTokens: GPT_IMAGE_OUTPUT_TOKENS,
    estimatedTokensPerReference: 6000,
    // The SDK: "GPT Image 1 was shut down on October 23, 2026."
    lifecycle: { status: "deprecated", shutdownDate: "2026-10-23", replacement: "gpt-image-2" },
  },
};

export function isOpenAiImageModel(model: string): model is OpenAiImageModelId {
  return Object.hasOwn(OPENAI_IMAGE_MODELS, model);
}

/** How long before a shutdown we start warning. */
export const DEPRECATION_WARNING_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export type LifecycleState =
  | { state: "available" }
  | { state: "shutdown-soon"; message: string }
  | { state: "retired"; message: string };

export function lifecycleState(facts: OpenAiModelFacts, now: Date): LifecycleState {
  const { lifecycle } = facts;
  if (lifecycle.status === "ga") return { state: "available" };
  const shutdown = Date.parse(`${lifecycle.shutdownDate}T00:00:00Z`);
  if (now.getTime() >= shutdown) {
    return {
      state: "retired",
      message: `OpenAI shut down ${facts.id} on ${lifecycle.shutdownDate}; use ${lifecycle.replacement} instead.`,
    };
  }
  const daysLeft = Math.ceil((shutdown - now.getTime()) / DAY_MS);
  if (daysLeft <= DEPRECATION_WARNING_DAYS) {
    return {
      state: "shutdown-soon",
      message: `${facts.id} stops working on ${lifecycle.shutdownDate} (in ${daysLeft} day${daysLeft === 1 ? "" : "s"}); switch to ${lifecycle.replacement}.`,
    };
  }
  return { state: "available" };
}
