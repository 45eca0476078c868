import type { TokenPrice } from "~/generation/token-price";

/**
 * What we know about each Gemini image model. This is data: prices and
 * limits change, and each change should be a one-line edit here.
 *
 * Gemini takes no pixel size: it takes an aspect ratio (and, on newer models,
 * a 1K/2K/4K tier) and renders a fixed resolution for it. We expose those
 * resolutions as the provider's fixed sizes so the rest of the app can keep
 * speaking "WxH".
 */

export type GeminiImageModelId = "gemini-2.5-flash-image" | "gemini-3-pro-image-preview";

export const DEFAULT_GEMINI_IMAGE_MODEL: GeminiImageModelId = "gemini-2.5-flash-image";

export type ImageTier = "1K" | "2K" | "4K";

export interface GeminiSize {
  aspectRatio: string;
  /** Sent as `imageConfig.imageSize` only by models that take it. */
  tier?: ImageTier;
  /** Output image tokens billed for one image at this size. */
  outputTokens: number;
}


export interface GeminiModelFacts {
  id: GeminiImageModelId;
  /** "WxH" → how to ask for it. */
  sizes: Record<string, GeminiSize>;
  maxReferenceImages: number;
  price: TokenPrice;
  /**
   * Input tokens we budget per reference image. Gemini bills images by tiles
   * (258 tokens per 768px tile on 2.5 models); a 1024px photo is 4 tiles.
   */
  estimatedTokensPerReference: number;
}

const usd = (dollars: number) => Math.round(dollars * 1_000_000);

/** Published: every gemini-2.5-flash-image output is 1290 tokens, whatever the ratio. */
const FLASH_25_SIZES: Record<string, GeminiSize> = Object.fromEntries(
  (
    [
      ["1:1", "1024x1024"],
      ["2:3", "832x1248"],
      ["3:2", "1248x832"],
      ["3:4", "864x1184"],
      ["4:3", "1184x864"],
      ["4:5", "896x1152"],
      ["5:4", "1152x896"],
      ["9:16", "768x1344"],
      ["16:9", "1344x768"],
      ["21:9", "1536x672"],
    ] as const
  ).map(([aspectRatio, size]) => [size, { aspectRatio, outputTokens: 1290 }]),
);

/**
 * Gemini 3 Pro Image resolution table (ai.google.dev image generation guide):
 * 1K and 2K outputs bill 1120 tokens, 4K bills 2000.
 */
const PRO_3_SIZES: Record<string, GeminiSize> = Object.fromEntries(
  (
    [
      ["1:1", ["1024x1024", "2048x2048", "4096x4096"]],
      ["2:3", ["848x1264", "1696x2528", "3392x5056"]],
      ["3:2", ["1264x848", "2528x1696", "5056x3392"]],
      ["3:4", ["896x1200", "1792x2400", "3584x4800"]],
      ["4:3", ["1200x896", "2400x1792", "4800x3584"]],
      ["4:5", ["928x1152", "1856x2304", "3712x4608"]],
      ["5:4", ["1152x928", "2304x1856", "4608x3712"]],
      ["9:16", ["768x1376", "1536x2752", "3072x5504"]],
      ["16:9", ["1376x768", "2752x1536", "5504x3072"]],
      ["21:9", ["1584x672", "3168x1344", "6336x2688"]],
    ] as const
  ).flatMap(([aspectRatio, [oneK, twoK, fourK]]) => [
    [oneK, { aspectRatio, tier: "1K" as const, outputTokens: 1120 }],
    [twoK, { aspectRatio, tier: "2K" as const, outputTokens: 1120 }],
    [fourK, { aspectRatio, tier: "4K" as const, outputTokens: 2000 }],
  ]),
);

export const GEMINI_IMAGE_MODELS: Record<GeminiImageModelId, GeminiModelFacts> = {
  "gemini-2.5-flash-image": {
    id: "gemini-2.5-flash-image",
    sizes: FLASH_25_SIZES,
    // Google documents best results with up to 3 input images.
    maxReferenceImages: 3,
    // ai.google.dev/pricing: input (text/image) $0.30, image output $30,
    // text output $2.50 per 1M tokens. Cached input at 10% of input is our
    // assumption from the 2.5 Flash family's context-caching rate.
    price: {
      kind: "per-token",
      textInputPerMTok: usd(0.3),
      imageInputPerMTok: usd(0.3),
      cachedInputPerMTok: usd(0.03),
      imageOutputPerMTok: usd(30),
      textOutputPerMTok: usd(2.5),
    },
    estimatedTokensPerReference: 4 * 258,
  },
  "gemini-3-pro-image-preview": {
    // A preview model: Google may change or withdraw it at short notice.
    id: "gemini-3-pro-image-preview",
    sizes: PRO_3_SIZES,
    // Documented: up to 14 reference images.
    maxReferenceImages: 14,
    // ai.google.dev/pricing: input $2, text output (incl. thinking) $12,
    // image output $120 per 1M tokens; cached input $0.20.
    price: {
      kind: "per-token",
      textInputPerMTok: usd(2),
      imageInputPerMTok: usd(2),
      cachedInputPerMTok: usd(0.2),
      imageOutputPerMTok: usd(120),
      textOutputPerMTok: usd(12),
    },
    // Gemini 3 bills a 1024px image input at 560 tokens by default; 1120 at high media resolution.
    estimatedTokensPerReference: 1120,
  },
};

export function isGeminiImageModel(model: string): model is GeminiImageModelId {
  return Object.hasOwn(GEMINI_IMAGE_MODELS, model);
}
