/**
 * "Edit a region" end to end below the routes: the brushed mask is checked
 * and stored in the shop's namespace, the edit is launched as a priced
 * one-item batch on the candidate's provider, and running it sends the
 * candidate and the mask to the provider's edit endpoint (the local OpenAI
 * server, through the real SDK) and stores the result as a new candidate.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchRequest } from "~/batches/batch-request";
import { createBatch } from "~/batches/create-batch.server";
import type { ProductFacts } from "~/catalog/types";
import { generateCandidates, presetLookup } from "~/generation/generate-candidates.server";
import type { GenerationOptions } from "~/generation/generate-candidates";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { createProviderRegistry } from "~/providers/registry.server";
import { createLocalStorage } from "~/storage/local-storage.server";
import { shopKey, type ObjectStorage } from "~/storage/types";
import { startOpenAiServer, type FakeOpenAiServer } from "../../test/openai-server/server";
import { seedProducts, seedShop } from "../../test/batches/fixtures";
import { useTestDatabase } from "../../test/support/use-test-database";
import { editRegion } from "./edit-region.server";

const t = useTestDatabase({ emptyBeforeEach: false });
let openai: FakeOpenAiServer;
let storageDir: string;
let storage: ObjectStorage;
let counter = 0;

beforeAll(async () => {
  openai = await startOpenAiServer();
  storageDir = mkdtempSync(path.join(tmpdir(), "pis-edit-"));
  storage = createLocalStorage(storageDir);
});
afterAll(async () => {
  await openai?.close();
  rmSync(storageDir, { recursive: true, force: true });
});

const registry = () => createProviderRegistry({ OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseURL });
const OPTIONS: GenerationOptions = { size: "1024x1024", quality: "low", format: "webp", background: "opaque", useReference: true, brandKit: false };

/** A mask: opaque black, with a transparent square (the region to repaint) in the middle when `hole`. */
function mask(hole: boolean, size = 512): Promise<Buffer> {
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = hole && x >= size / 4 && x < size / 2 && y >= size / 4 && y < size / 2;
      pixels[(y * size + x) * 4 + 3] = inside ? 0 : 255;
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
}

/** A shop with one candidate made by an OpenAI batch, its image stored. */
async function setup(providerId = "openai", model = "gpt-image-2") {
  counter += 1;
  const shop = await seedShop(t.db, `edit-${process.pid}-${counter}.myshopify.com`);
  const [gid] = await seedProducts(t.db, shop.id, 1, "https://cdn.example/photo.jpg");
  const deps = { db: t.db, registry: registry(), presets: PRESET_LIBRARY, now: () => new Date(), concurrency: 1, queue: { enqueue: async () => {} } };
  const launch = (request: BatchRequest) => createBatch(deps, shop.id, request);
  const created = await launch({ productGids: [gid!], presetIds: ["packshot-white"], candidatesPerProduct: 1, providerId, model, options: OPTIONS });
  if (!created.ok) throw new Error(created.reasons.join(" "));
  const item = await t.db.batchItem.findFirstOrThrow({ where: { batchId: created.batchId } });
  const storageKey = shopKey(shop.id, "candidates", item.id, "0.webp");
  await storage.put(storageKey, await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#c0a080" } }).webp().toBuffer(), "image/webp");
  const candidate = await t.db.candidate.create({
    data: {
      shopId: shop.id,
      itemId: item.id,
      productGid: gid!,
      presetId: "packshot-white",
      providerId,
      model,
      seed: item.seed,
      storageKey,
      thumbSmallKey: storageKey,
      thumbLargeKey: storageKey,
      format: "webp",
      width: 1024,
      height: 1024,
      bytes: 1,
      perceptualHash: "0",
      promptHash: "p",
      altText: "A ceramic mug on a white background",
    },
  });
  return { shop, gid: gid!, candidate, launch, deps };
}

describe("editing a region of a candidate", () => {
  it("launches a priced one-item edit and runs it through the provider's mask endpoint", async () => {
    const { shop, gid, candidate, launch } = await setup();
    const result = await editRegion({ db: t.db, storage, launch }, shop.id, candidate.id, { mask: await mask(true), instruction: "replace the mug with a small green plant" });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;

    const batch = await t.db.batch.findUniqueOrThrow({ where: { id: result.batchId }, include: { items: true } });
    expect(batch).toMatchObject({ shopId: shop.id, providerId: "openai", model: "gpt-image-2", candidatesPerProduct: 1 });
    // Paid providers are estimated before anything runs, so the budget and the ledger see the edit.
    expect(batch.estimatedCostMicros).toBeGreaterThan(0n);
    const options = JSON.parse(batch.optionsJson) as GenerationOptions;
    expect(options.edit).toMatchObject({ sourceKey: candidate.storageKey, instruction: "replace the mug with a small green plant", altText: candidate.altText });
    expect(options.edit!.maskKey.startsWith(`shops/${shop.id}/masks/`)).toBe(true);
    expect(await storage.get(options.edit!.maskKey)).not.toBeNull();

    const item = batch.items[0]!;
    const product: ProductFacts = {
      id: gid, title: "Glass bottle 1", handle: "glass-bottle-1", descriptionHtml: "", productType: "", vendor: "", status: "ACTIVE",
      tags: [], options: [], updatedAt: "2026-01-01T00:00:00Z", mediaCount: 1, featuredImageUrl: null, thumbnailUrl: null, media: [],
    };
    const before = openai.requests.length;
    const generated = await generateCandidates(
      {
        provider: registry().create("openai", "gpt-image-2"),
        storage,
        fetchImage: () => Promise.reject(new Error("an edit never downloads the product photo")),
        presets: presetLookup(),
        brandKit: null,
        now: () => new Date(),
      },
      { shopId: shop.id, safetyIdentifier: "sid", product, presetId: item.presetId, candidateIndex: 0, candidatesPerProduct: 1, seed: item.seed, options, itemId: item.id },
    );
    const sent = openai.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toMatch(/\/images\/edits$/);
    const maskPart = sent[0]!.files.find((f) => f.field === "mask");
    const imagePart = sent[0]!.files.find((f) => f.field === "image" || f.field === "image[]");
    // The mask goes at the image's exact size, with its transparent region intact.
    expect(await sharp(maskPart!.data).metadata()).toMatchObject({ width: 1024, height: 1024, hasAlpha: true });
    expect(await sharp(imagePart!.data).metadata()).toMatchObject({ width: 1024, height: 1024 });
    expect((await sharp(maskPart!.data).extractChannel(3).stats()).channels[0]!.min).toBe(0);
    expect(generated.costMicros).toBeGreaterThan(0);
    expect(generated.candidates).toHaveLength(1);
    expect(generated.candidates[0]!.altText).toBe(candidate.altText);
    expect(generated.candidates[0]!.storageKey.startsWith(`shops/${shop.id}/candidates/${item.id}/`)).toBe(true);
    expect(await storage.get(generated.candidates[0]!.storageKey)).not.toBeNull();
  });

  it("refuses a mask with nothing to repaint, another shop's image, and a provider without masks", async () => {
    const a = await setup();
    const b = await setup();
    const deps = { db: t.db, storage, launch: a.launch };
    expect(await editRegion(deps, a.shop.id, a.candidate.id, { mask: await mask(false), instruction: "make it blue" })).toMatchObject({ ok: false, status: 400 });
    expect(await editRegion(deps, a.shop.id, a.candidate.id, { mask: Buffer.from("not a png"), instruction: "make it blue" })).toMatchObject({ ok: false, status: 400 });
    const foreign = await editRegion(deps, a.shop.id, b.candidate.id, { mask: await mask(true), instruction: "make it blue" });
    expect(foreign).toEqual({ ok: false, status: 404, reasons: ["That image does not exist."] });

    const studio = await setup("studio", "studio-1");
    const refused = await editRegion({ db: t.db, storage, launch: studio.launch }, studio.shop.id, studio.candidate.id, { mask: await mask(true), instruction: "make it blue" });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).toContain("cannot repaint a region");
    // The refused edit's mask is not left behind.
    expect(await storage.deletePrefix(shopKey(studio.shop.id, "masks") + "/")).toBe(0);
    expect(await t.db.batch.count({ where: { shopId: studio.shop.id } })).toBe(1);
  });
});
