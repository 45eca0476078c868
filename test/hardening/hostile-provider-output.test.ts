import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProductFacts } from "~/catalog/types";
import { ProviderError } from "~/generation/errors";
import { generateCandidates, presetLookup } from "~/generation/generate-candidates.server";
import type { ImageProvider } from "~/generation/provider";
import { createStudioProvider } from "~/providers/studio/provider.server";
import { createLocalStorage } from "~/storage/local-storage.server";
import { decompressionBombPng, hostileInputs, plainPackshots } from "../fixtures/images/make-fixtures";

/**
 * What a provider sends back is decoded in the worker, so it is bounded like
 * a merchant's photo: an image that is broken, not an image, or would decode
 * to gigabytes ends the attempt with a provider error that says so (bounded
 * retries, a reason for the merchant), never a plain crash or an exhausted worker.
 */
const URL = "https://cdn.shopify.com/s/files/1/0000/0001/files/bottle.png";
let dir: string;
let photo: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pis-hostile-output-"));
  photo = (await plainPackshots())[0]!.photo;
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const product: ProductFacts = {
  id: "gid://shopify/Product/1",
  title: "Glass bottle",
  handle: "glass-bottle",
  descriptionHtml: "<p>A clear glass bottle.</p>",
  productType: "Bottles",
  thumbnailUrl: null,
  vendor: "Test Vendor",
  status: "ACTIVE",
  tags: [],
  options: [],
  updatedAt: "2026-11-01T00:00:00Z",
  mediaCount: 1,
  featuredImageUrl: URL,
  media: [{ id: "gid://shopify/MediaImage/1", alt: "", status: "READY", url: URL, width: 1024, height: 1024 }],
};

function returning(bytes: Buffer): ImageProvider {
  const studio = createStudioProvider();
  return {
    ...studio,
    async generate(request) {
      const result = await studio.generate(request);
      return { ...result, images: result.images.map((image) => ({ ...image, data: bytes })) };
    },
  };
}

function run(bytes: Buffer) {
  return generateCandidates(
    {
      provider: returning(bytes),
      storage: createLocalStorage(dir),
      fetchImage: async () => photo,
      presets: presetLookup(),
      brandKit: null,
      now: () => new Date("2026-11-26T12:00:00Z"),
    },
    {
      shopId: "shop_a",
      safetyIdentifier: "sid",
      product,
      presetId: "packshot-white",
      candidateIndex: 0,
      candidatesPerProduct: 1,
      seed: 1,
      options: { size: "1024x1024", quality: "low", format: "png", background: "opaque", useReference: true, brandKit: false },
      itemId: "item_1",
    },
  );
}

describe("hostile images from a provider", () => {
  it.each([
    ["a decompression bomb (30000×30000 header)", () => decompressionBombPng()],
    ["a 45 MP image", async () => (await hostileInputs()).hugeDimensions],
    ["zero bytes", async () => Buffer.alloc(0)],
    ["text", async () => Buffer.from("I am not an image")],
    ["SVG with script", async () => (await hostileInputs()).svgWithScript],
    ["a truncated PNG", async () => (await hostileInputs()).truncatedPng],
  ])("%s ends the attempt with a provider error that says what happened", async (_name, make) => {
    const error = await run(await make()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(/returned an image/i);
    expect((error as ProviderError).retryable).toBe(true);
  });

  it("an ordinary image from the same stub goes through (the refusals above are the checks at work)", async () => {
    const ok = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#dddddd" } }).png().toBuffer();
    const result = await run(ok);
    expect(result.candidates).toHaveLength(1);
  });
});
