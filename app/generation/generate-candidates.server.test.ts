import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProductFacts } from "~/catalog/types";
import { readProvenance } from "~/images/provenance.server";
import { createOpenAiProvider } from "~/providers/openai/openai-provider.server";
import { createStudioProvider } from "~/providers/studio/provider.server";
import { createLocalStorage } from "~/storage/local-storage.server";
import { StorageError } from "~/storage/errors";
import type { ObjectStorage } from "~/storage/types";
import { startOpenAiServer, scripted, type FakeOpenAiServer } from "../../test/openai-server/server";
import { renderProductPhoto, seedCatalog, type SeedProduct } from "../../test/shopify-store/catalog/index";
import { MissingProductPhotoError, PresetUnsupportedError, ProductCutoutError } from "./candidate-errors";
import { ProviderError } from "./errors";
import type { AnsweredCall, GenerateCandidatesInput } from "./generate-candidates";
import { generateCandidates, PreparedPhotos, presetLookup, type GenerateCandidatesDeps } from "./generate-candidates.server";
import type { ImageProvider } from "./provider";

const NOW = new Date("2026-11-26T12:00:00.000Z");
let openai: FakeOpenAiServer;
let dir: string;
let storage: ObjectStorage;
let catalog: SeedProduct[];
const photos = new Map<string, Buffer>();
let fetched: string[];

function cdnUrl(product: SeedProduct): string {
  return `https://cdn.shopify.com/s/files/1/0000/0001/0002/files/${product.handle}-main.png`;
}

function facts(product: SeedProduct, overrides: Partial<ProductFacts> = {}): ProductFacts {
  const url = cdnUrl(product);
  return {
    id: `gid://shopify/Product/${product.handle}`,
    title: product.title,
    handle: product.handle,
    descriptionHtml: product.descriptionHtml,
    productType: product.productType,
    thumbnailUrl: null,
    vendor: product.vendor,
    status: product.status,
    tags: product.tags,
    options: product.options,
    updatedAt: "2026-11-01T00:00:00Z",
    mediaCount: 1,
    featuredImageUrl: url,
    media: [{ id: "gid://shopify/MediaImage/1", alt: "", status: "READY", url, width: 1024, height: 1024 }],
    ...overrides,
  };
}

function product(handle: string): SeedProduct {
  const found = catalog.find((p) => p.handle === handle);
  if (!found) throw new Error(`${handle} not in the seeded catalog`);
  return found;
}

/** Counts calls, so refusals can be shown to happen before any provider work. */
function counting(provider: ImageProvider): ImageProvider & { calls: number } {
  const wrapped = { ...provider, calls: 0 };
  wrapped.generate = (request) => {
    wrapped.calls++;
    return provider.generate(request);
  };
  return wrapped;
}

function deps(provider: ImageProvider, overrides: Partial<GenerateCandidatesDeps> = {}): GenerateCandidatesDeps {
  return {
    provider,
    storage,
    async fetchImage(url) {
      fetched.push(url);
      const bytes = photos.get(url);
      if (!bytes) throw new Error(`no photo at ${url}`);
      return bytes;
    },
    presets: presetLookup(),
    brandKit: null,
    now: () => NOW,
    ...overrides,
  };
}

function input(product: ProductFacts, overrides: Partial<GenerateCandidatesInput> = {}): GenerateCandidatesInput {
  return {
    shopId: "shop_a",
    safetyIdentifier: "sid_3f9a0c",
    product,
    presetId: "studio-sage",
    candidateIndex: 0,
    candidatesPerProduct: 4,
    seed: 1234,
    options: { size: "1024x1024", quality: "low", format: "png", background: "opaque", useReference: true, brandKit: false },
    itemId: "item_1",
    ...overrides,
  };
}

async function rgb(bytes: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

beforeAll(async () => {
  openai = await startOpenAiServer();
  dir = await mkdtemp(join(tmpdir(), "generate-candidates-"));
  catalog = seedCatalog();
  for (const handle of ["speckled-stoneware-mug", "heavyweight-boxy-tee", "everyday-organic-crew-tee"]) {
    const p = product(handle);
    photos.set(cdnUrl(p), await renderProductPhoto(p, "main"));
  }
});
afterAll(async () => {
  await openai.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  storage = createLocalStorage(dir);
  fetched = [];
  openai.requests.length = 0;
});

describe("generateCandidates with the studio provider", () => {
  it("renders, encodes, tags, thumbnails and stores one candidate from the seeded catalog photo", async () => {
    const tee = product("speckled-stoneware-mug");
    const options = { size: "1024x1024", quality: "medium", format: "jpeg", background: "opaque", useReference: true, brandKit: false } as const;
    const result = await generateCandidates(deps(createStudioProvider()), input(facts(tee), { options }));

    expect(fetched).toEqual([cdnUrl(tee)]);
    expect(result).toMatchObject({ costMicros: 0, providerId: "studio", model: "studio-1" });
    expect(result.candidates).toHaveLength(1);
    const [candidate] = result.candidates;
    if (!candidate) throw new Error("no candidate");
    expect(candidate).toMatchObject({ ordinal: 0, format: "jpeg", width: 1024, height: 1024, fidelityScore: null, fidelityFlagged: false });
    expect(candidate.storageKey).toBe("shops/shop_a/candidates/item_1/20261126T120000000Z-0.jpg");
    expect(candidate.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
    expect(candidate.promptHash).toMatch(/^[0-9a-f]{64}$/);
    expect(candidate.altText).toBe(`${tee.title} on a sage green gradient backdrop.`);

    const stored = await storage.get(candidate.storageKey);
    if (!stored) throw new Error("candidate not stored");
    expect(stored.contentType).toBe("image/jpeg");
    expect(stored.body.length).toBe(candidate.bytes);
    expect(await sharp(stored.body).metadata()).toMatchObject({ format: "jpeg", width: 1024, height: 1024 });
    expect(await readProvenance(stored.body)).toEqual({
      // The studio composites the real photo into a procedural scene: no generative AI.
      digitalSourceType: "compositeSynthetic",
      generator: "studio",
      model: "studio-1",
      preset: "studio-sage",
      promptHash: candidate.promptHash,
    });
    for (const [key, edge] of [
      [candidate.thumbSmallKey, 256],
      [candidate.thumbLargeKey, 768],
    ] as const) {
      const thumb = await storage.get(key);
      if (!thumb) throw new Error(`${key} not stored`);
      expect(thumb.contentType).toBe("image/webp");
      expect(await sharp(thumb.body).metadata()).toMatchObject({ format: "webp", width: edge, height: edge });
    }
  });

  it("uses the first media image when there is no featured image", async () => {
    const tee = product("speckled-stoneware-mug");
    await generateCandidates(deps(createStudioProvider()), input(facts(tee, { featuredImageUrl: null })));
    expect(fetched).toEqual([cdnUrl(tee)]);
  });

  it("refuses a product without a photo before any work, with a message the merchant can act on", async () => {
    const provider = counting(createStudioProvider());
    const photoless = facts(product("speckled-stoneware-mug"), { featuredImageUrl: null, media: [], mediaCount: 0 });
    const error = await generateCandidates(deps(provider), input(photoless)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingProductPhotoError);
    expect((error as MissingProductPhotoError).retryable).toBe(false);
    expect((error as Error).message).toBe(
      `"${photoless.title}" has no product photo, and "Studio backdrop: Sage green" works from one. Add a photo to the product in Shopify, then try again.`,
    );
    expect([provider.calls, fetched.length]).toEqual([0, 0]);
  });

  it("refuses an on-model preset because the studio cannot show products on people", async () => {
    const provider = counting(createStudioProvider());
    const error = await generateCandidates(deps(provider), input(facts(product("speckled-stoneware-mug")), { presetId: "on-model-apparel" })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PresetUnsupportedError);
    expect((error as Error).message).toBe(
      '"On model: apparel" cannot be made with the studio provider. Needs a provider that can show products on people.',
    );
    expect([provider.calls, fetched.length]).toEqual([0, 0]);
  });

  it("keeps each shop's files under its own namespace", async () => {
    const tee = facts(product("speckled-stoneware-mug"));
    const a = await generateCandidates(deps(createStudioProvider()), input(tee, { shopId: "shop_a", itemId: "item_9" }));
    const b = await generateCandidates(deps(createStudioProvider()), input(tee, { shopId: "shop_b", itemId: "item_9" }));
    const keys = (r: typeof a) => r.candidates.flatMap((c) => [c.storageKey, c.thumbSmallKey, c.thumbLargeKey]);
    for (const key of keys(a)) expect(key.startsWith("shops/shop_a/candidates/item_9/")).toBe(true);
    for (const key of keys(b)) expect(key.startsWith("shops/shop_b/candidates/item_9/")).toBe(true);
    expect(await storage.deletePrefix("shops/shop_a/")).toBeGreaterThanOrEqual(3);
    for (const key of keys(b)) expect(await storage.get(key)).not.toBeNull();
  });
});

describe("generateCandidates with OpenAI in product-preserving mode", () => {
  function openAiProvider() {
    return createOpenAiProvider({ apiKey: openai.apiKey, baseURL: openai.baseURL, model: "gpt-image-2", clock: () => NOW });
  }

  it.each([
    ["a square photo", "speckled-stoneware-mug", 1024, 1024],
    ["a portrait photo widened to the square output", "heavyweight-boxy-tee", 1500, 1500],
  ])("sends a protection mask and keeps the product's own pixels: %s", async (_what, handle, width, height) => {
    const tee = product(handle);
    const provider = openAiProvider();
    const result = await generateCandidates(deps(provider), input(facts(tee), { presetId: "lifestyle-kitchen" }));

    const [call] = openai.requests;
    if (!call) throw new Error("OpenAI was not called");
    expect(call.path).toBe("/v1/images/edits");
    expect(call.fields).toMatchObject({ n: "1", size: "1024x1024", output_format: "png", safety_identifier: "sid_3f9a0c" });
    const reference = call.files.find((f) => f.field === "image" || f.field === "image[]");
    const mask = call.files.find((f) => f.field === "mask");
    if (!reference || !mask) throw new Error("reference or mask missing from the request");
    const maskMeta = await sharp(mask.data).metadata();
    expect([maskMeta.format, maskMeta.hasAlpha, maskMeta.width, maskMeta.height]).toEqual(["png", true, width, height]);

    const [candidate] = result.candidates;
    if (!candidate) throw new Error("no candidate");
    const stored = await storage.get(candidate.storageKey);
    if (!stored) throw new Error("not stored");
    const out = await rgb(stored.body);
    const source = await rgb(reference.data);
    expect([out.width, out.height]).toEqual([width, height]);

    // Inside the mask's opaque (product) area, clear of the feathered edge band, every pixel is the source's.
    const alpha = await sharp(mask.data).extractChannel(3).raw().toBuffer();
    const inside = (x: number, y: number) => (alpha[y * width + x] ?? 0) === 255;
    const EDGE = 6;
    const around = (x: number, y: number, want: boolean) =>
      [[0, 0], [-EDGE, 0], [EDGE, 0], [0, -EDGE], [0, EDGE], [-EDGE, -EDGE], [EDGE, EDGE], [-EDGE, EDGE], [EDGE, -EDGE]].every(
        ([dx = 0, dy = 0]) => inside(x + dx, y + dy) === want,
      );
    let product_ = 0;
    let changed = 0;
    let background = 0;
    let repainted = 0;
    for (let y = EDGE; y < height - EDGE; y += 2) {
      for (let x = EDGE; x < width - EDGE; x += 2) {
        const i = (y * width + x) * 3;
        const core = around(x, y, true);
        const clear = around(x, y, false);
        const differs = [0, 1, 2].some((c) => out.data[i + c] !== source.data[i + c]);
        if (core) {
          product_++;
          if (differs) changed++;
        } else if (clear) {
          background++;
          if (differs) repainted++;
        }
      }
    }
    expect(product_).toBeGreaterThan(5_000);
    expect(changed).toBe(0);
    // The scene around it is the provider's, not the original backdrop.
    expect(repainted / background).toBeGreaterThan(0.5);

    expect(candidate.fidelityScore).toBeGreaterThan(0.97);
    expect(candidate.fidelityFlagged).toBe(false);
    expect(await readProvenance(stored.body)).toMatchObject({
      digitalSourceType: "compositeWithTrainedAlgorithmicMedia",
      generator: "openai",
      model: "gpt-image-2",
      preset: "lifestyle-kitchen",
    });

    // Published per-1M-token rates in micro-dollars are micro-dollars per million tokens.
    const usage = (call.answer?.body as { usage: { input_tokens_details: { text_tokens: number; image_tokens: number }; output_tokens_details: { image_tokens: number; text_tokens: number } } }).usage;
    const price = provider.price;
    const expected =
      (usage.input_tokens_details.text_tokens * (price.textInputPerMTok ?? 0) +
        usage.input_tokens_details.image_tokens * (price.imageInputPerMTok ?? 0) +
        usage.output_tokens_details.image_tokens * (price.imageOutputPerMTok ?? 0) +
        usage.output_tokens_details.text_tokens * (price.textOutputPerMTok ?? 0)) /
      1_000_000;
    expect(result.costMicros).toBe(Math.ceil(expected));
    expect(result.costMicros).toBeGreaterThan(0);
  });

  it("prepares a product's photo once for its candidates, sends each call the same reference and mask, and never shares it across shops", async () => {
    const mug = facts(product("speckled-stoneware-mug"));
    const prepared = deps(openAiProvider(), { preparedPhotos: new PreparedPhotos() });
    const results = await Promise.all(
      [0, 1, 2].map((candidateIndex) =>
        generateCandidates(prepared, input(mug, { presetId: "lifestyle-kitchen", candidateIndex, itemId: `item_p${candidateIndex}` })),
      ),
    );
    expect(fetched).toHaveLength(1);
    expect(openai.requests).toHaveLength(3);
    const parts = openai.requests.map((call) => call.files.map((f) => f.data.toString("base64")).join("|"));
    expect(new Set(parts).size).toBe(1);
    for (const result of results) expect(result.candidates[0]?.fidelityScore).toBeGreaterThan(0.97);

    await generateCandidates(prepared, input(mug, { shopId: "shop_b", presetId: "lifestyle-kitchen", itemId: "item_pb" }));
    expect(fetched).toHaveLength(2);
  });

  it("refuses preserving mode when the product cannot be told from its background, before calling OpenAI", async () => {
    const whiteOnWhite = facts(product("everyday-organic-crew-tee"));
    const error = await generateCandidates(deps(openAiProvider()), input(whiteOnWhite, { presetId: "lifestyle-kitchen" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProductCutoutError);
    expect((error as Error).message).toMatch(/No product could be found in the photo/);
    expect(openai.requests).toHaveLength(0);
  });

  it("lets provider errors through unchanged and stores nothing", async () => {
    openai.enqueue(scripted.rateLimited({ retryAfterMs: 1500 }));
    const error = await generateCandidates(deps(openAiProvider()), input(facts(product("speckled-stoneware-mug")), { presetId: "lifestyle-kitchen", itemId: "item_rl" })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe("rate_limited");
    expect((error as ProviderError).retryAfterMs).toBe(1500);
    expect(await storage.deletePrefix("shops/shop_a/candidates/item_rl/")).toBe(0);
  });

  it("asks OpenAI for on-model presets without a mask and says what the picture shows", async () => {
    const tee = product("speckled-stoneware-mug");
    const result = await generateCandidates(deps(openAiProvider()), input(facts(tee), { presetId: "on-model-apparel", options: { size: "1024x1536", quality: "low", format: "webp", background: "opaque", useReference: true, brandKit: false } }));
    const [call] = openai.requests;
    expect(call?.files.some((f) => f.field === "mask")).toBe(false);
    const [candidate] = result.candidates;
    expect(candidate?.altText).toMatch(new RegExp(`^A model aged .+ wearing ${tee.title}, `));
    expect(candidate?.fidelityScore).toBeNull();
    const stored = candidate && (await storage.get(candidate.storageKey));
    expect(stored && (await readProvenance(stored.body))?.digitalSourceType).toBe("trainedAlgorithmicMedia");
  });
});

describe("generateCandidates reports the provider's answer", () => {
  it("before anything is stored, so a call whose images are then lost is still known to be paid", async () => {
    const puts: string[] = [];
    const full: ObjectStorage = {
      ...storage,
      put: async (key) => {
        puts.push(key);
        throw new StorageError("Storage is full", { retryable: false, code: "ENOSPC" });
      },
    };
    const answers: { call: AnsweredCall; putsBefore: number }[] = [];
    const onAnswer = async (call: AnsweredCall) => {
      answers.push({ call, putsBefore: puts.length });
    };
    const error = await generateCandidates(deps(createStudioProvider(), { storage: full }), input(facts(product("heavyweight-boxy-tee")), { onAnswer })).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(StorageError);
    expect(puts).toHaveLength(1);
    expect(answers).toEqual([{ call: { costMicros: 0, providerId: "studio", model: "studio-1" }, putsBefore: 0 }]);
  });
});
