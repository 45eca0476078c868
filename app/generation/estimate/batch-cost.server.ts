import type { ImageProvider, Quality, ReferenceImage } from "../provider";

export interface BatchEstimateInput {
  provider: ImageProvider;
  products: number;
  /** Number of presets each product is rendered with. */
  presets: number;
  candidatesPerProduct: number;
  size: string;
  quality: Quality;
  referencesPerCall: number;
  /** A representative prompt, for providers that also charge for prompt tokens. */
  prompt?: string;
}

export interface BatchEstimate {
  calls: number;
  images: number;
  costMicros: number;
  /** Average over the batch, rounded to the nearest micro-dollar. */
  perImageMicros: number;
}

/**
 * Cost before running: each product × preset asks for `candidatesPerProduct`
 * images, split into calls of at most `maxImagesPerCall`. Every call is
 * priced by the provider itself, so per-call charges (reference image input)
 * are counted once per call, not once per image.
 */
export function estimateBatch(input: BatchEstimateInput): BatchEstimate {
  const { provider, products, presets, candidatesPerProduct, size, quality, referencesPerCall, prompt = "" } = input;
  for (const [name, value] of Object.entries({ products, presets, candidatesPerProduct, referencesPerCall })) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  const maxPerCall = provider.capabilities.maxImagesPerCall;
  if (!Number.isInteger(maxPerCall) || maxPerCall < 1) {
    throw new RangeError(`provider ${provider.id} reports maxImagesPerCall ${maxPerCall}`);
  }
  if (referencesPerCall > provider.capabilities.maxReferenceImages) {
    throw new RangeError(
      `provider ${provider.id} accepts at most ${provider.capabilities.maxReferenceImages} reference images per call`,
    );
  }

  // Estimation prices by count; nothing is uploaded, so the references carry no bytes.
  const references: ReferenceImage[] = Array.from({ length: referencesPerCall }, (_, i) => ({
    data: Buffer.alloc(0),
    mimeType: "image/png",
    filename: `reference-${i + 1}.png`,
  }));

  const fullCalls = Math.floor(candidatesPerProduct / maxPerCall);
  const lastCallImages = candidatesPerProduct % maxPerCall;
  const costOf = (n: number) => provider.estimateCostMicros({ n, size, quality, references, prompt });
  const perJobCost = (fullCalls > 0 ? fullCalls * costOf(maxPerCall) : 0) + (lastCallImages > 0 ? costOf(lastCallImages) : 0);
  const callsPerJob = Math.ceil(candidatesPerProduct / maxPerCall);

  const jobs = products * presets;
  const images = jobs * candidatesPerProduct;
  const costMicros = jobs * perJobCost;
  return {
    calls: jobs * callsPerJob,
    images,
    costMicros,
    perImageMicros: images > 0 ? Math.round(costMicros / images) : 0,
  };
}
