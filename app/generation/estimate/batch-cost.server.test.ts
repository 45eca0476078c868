import { describe, expect, it } from "vitest";
import type { GenerationRequest, ImageProvider } from "../provider";
import { estimateBatch } from "./batch-cost.server";

/**
 * FAKE PROVIDER for tests only: a plain object implementing ImageProvider
 * with a made-up price list (not any real provider's prices): 40,000 µ$ per
 * image plus 5,000 µ$ per reference image per call, at most 4 images per
 * call. It records every estimate request it receives.
 */
function fakeProvider(maxImagesPerCall = 4) {
  const estimateCalls: Pick<GenerationRequest, "n" | "size" | "quality" | "references" | "prompt">[] = [];
  const provider: ImageProvider = {
    id: "fake",
    model: "fake-model",
    capabilities: {
      generate: true,
      editWithReferences: true,
      maxReferenceImages: 3,
      generativeAi: true,
      mask: false,
      transparentBackground: false,
      sizes: { fixed: ["1024x1024"], auto: false },
      formats: ["png"],
      qualities: ["high"],
      maxImagesPerCall,
      onModel: false,
      deterministicSeed: true,
    },
    price: { kind: "per-image", perImage: { "high:1024x1024": 40_000 } },
    estimateCostMicros(request) {
      estimateCalls.push(request);
      return request.n * 40_000 + request.references.length * 5_000;
    },
    generate() {
      return Promise.reject(new Error("the fake provider only estimates"));
    },
  };
  return { provider, estimateCalls };
}

describe("estimateBatch", () => {
  it("splits candidates into calls of at most maxImagesPerCall and prices each call", () => {
    const { provider, estimateCalls } = fakeProvider(4);
    const estimate = estimateBatch({
      provider,
      products: 10,
      presets: 3,
      candidatesPerProduct: 6,
      size: "1024x1024",
      quality: "high",
      referencesPerCall: 1,
    });
    // Per product×preset: a call of 4 (165,000) and a call of 2 (85,000) = 250,000.
    expect(estimate).toEqual({ calls: 60, images: 180, costMicros: 7_500_000, perImageMicros: 41_667 });
    expect(estimateCalls.map((c) => c.n).sort()).toEqual([2, 4]);
    expect(estimateCalls.every((c) => c.references.length === 1 && c.size === "1024x1024" && c.quality === "high")).toBe(true);
  });

  it("makes one call per image when the provider returns one image per call", () => {
    const { provider } = fakeProvider(1);
    expect(
      estimateBatch({ provider, products: 2, presets: 1, candidatesPerProduct: 3, size: "1024x1024", quality: "high", referencesPerCall: 2 }),
    ).toEqual({ calls: 6, images: 6, costMicros: 6 * 50_000, perImageMicros: 50_000 });
  });

  it("is zero for an empty batch and rejects impossible input", () => {
    const { provider } = fakeProvider();
    expect(
      estimateBatch({ provider, products: 0, presets: 3, candidatesPerProduct: 4, size: "1024x1024", quality: "high", referencesPerCall: 1 }),
    ).toEqual({ calls: 0, images: 0, costMicros: 0, perImageMicros: 0 });
    expect(() =>
      estimateBatch({ provider, products: 1, presets: 1, candidatesPerProduct: 4, size: "1024x1024", quality: "high", referencesPerCall: 4 }),
    ).toThrow(/at most 3 reference images/);
    expect(() =>
      estimateBatch({ provider, products: -1, presets: 1, candidatesPerProduct: 4, size: "1024x1024", quality: "high", referencesPerCall: 0 }),
    ).toThrow(/products must be a non-negative integer/);
  });
});
