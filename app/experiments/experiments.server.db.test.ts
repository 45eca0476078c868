/**
 * The experiment lifecycle against the local Shopify store, on SQLite and
 * PostgreSQL: A/B candidates become variants uploaded as Files (READY on the
 * CDN), the storefront config lands in a storefront-readable product
 * metafield, the web pixel is activated with the shop's key; simulated
 * visitors with a known true lift drive the sequential decision to the right
 * variant; applying it makes the variant the featured image and removes the
 * metafield; one product has one live experiment; another shop sees 404.
 */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import { getProductGallery } from "~/shopify/media.server";
import { detachedFiles } from "../../test/shopify-store/media";
import { experimentStoreState } from "../../test/shopify-store/resolvers/experiments";
import type { LocalStore } from "../../test/shopify-store/server";
import { SHOP, startTestStore, storeAdmin } from "../../test/shopify-store/test-harness";
import { useTestDatabase } from "../../test/support/use-test-database";
import { testIngestor } from "../../test/support/event-ingestor";
import type { PixelPayload } from "./pixel-payload";
import { seededRandom } from "./stats-distributions";
import { applyWinner, createExperiment, ExperimentError, pauseExperiment, requireExperiment, startExperiment, stopExperiment, type ExperimentDeps } from "./experiments.server";
import { experimentResults } from "./results.server";
import { getShopSettings, saveShopSettings } from "~/settings/settings.server";

const t = useTestDatabase({ emptyBeforeEach: false });
let store: LocalStore;
let admin: AdminGraphql;
let variantBytes: Buffer;

beforeAll(async () => {
  store = await startTestStore({ mediaTimings: { uploadedMs: 5, processingMs: 5 } });
  admin = await storeAdmin(store);
  variantBytes = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 10, g: 200, b: 10 } } }).png().toBuffer();
});
afterAll(async () => {
  await store?.close();
});

function deps(): ExperimentDeps {
  return {
    db: t.db,
    admin,
    storage: { get: async () => ({ body: variantBytes, contentType: "image/png" }) },
    appUrl: "https://app.example",
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
  };
}

async function productWithPhoto(): Promise<string> {
  const shop = store.data.shops.get(SHOP)!;
  for (const product of shop.products.values()) if (product.media.length > 1) return `gid://shopify/Product/${product.id}`;
  throw new Error("no product with two photos");
}

async function seedCandidates(shopId: string, productGid: string, n: number, abCandidate = true) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const row = await t.db.candidate.create({
      data: { shopId, productGid, presetId: "packshot-white", providerId: "studio", model: "studio-1", seed: i, status: "approved", abCandidate, storageKey: `k${i}`, thumbSmallKey: "k", thumbLargeKey: "k", format: "png", width: 64, height: 64, bytes: variantBytes.length, perceptualHash: "0", promptHash: "0" },
    });
    ids.push(row.id);
  }
  return ids;
}

describe("experiment lifecycle", () => {
  it("runs from A/B candidates to an applied winner", async () => {
    const shop = await t.db.shop.create({ data: { domain: SHOP } });
    const other = await t.db.shop.create({ data: { domain: "other-store.myshopify.com" } });
    const productGid = await productWithPhoto();
    const before = (await getProductGallery(admin, productGid))!;

    await expect(createExperiment(deps(), { shopId: shop.id, productGid, candidateIds: await seedCandidates(shop.id, productGid, 1, false) })).rejects.toBeInstanceOf(ExperimentError);
    const [candidate] = await seedCandidates(shop.id, productGid, 1);
    const draft = await createExperiment(deps(), { shopId: shop.id, productGid, candidateIds: [candidate!] });
    expect(draft.controlImageUrl).toBe(before.media[0]!.imageUrl);

    // Another shop's id answers like a missing one.
    await expect(requireExperiment(t.db, other.id, draft.id)).rejects.toMatchObject({ status: 404 });

    const running = await startExperiment(deps(), shop.id, draft.id);
    expect(running.status).toBe("running");
    const experiment = await requireExperiment(t.db, shop.id, draft.id);
    const variant = experiment.arms.find((a) => a.key === "b")!;
    expect(variant).toMatchObject({ fileStatus: "ready" });
    expect(variant.imageUrl).toMatch(/^http/);
    // The variant is a File, not in the product's gallery.
    expect((await getProductGallery(admin, productGid))!.media.map((m) => m.id)).toEqual(before.media.map((m) => m.id));

    const state = experimentStoreState(store.data.shops.get(SHOP)!);
    expect(state.definitions).toEqual([expect.objectContaining({ key: "config", ownerType: "PRODUCT", storefrontAccess: "PUBLIC_READ" })]);
    const metafield = [...state.metafields.values()].find((m) => m.ownerId === productGid)!;
    expect(JSON.parse(metafield.value)).toMatchObject({ experimentId: draft.id, status: "running", control: { key: "a" }, arms: [{ key: "a" }, { key: "b", url: variant.imageUrl }] });
    const pixelKey = await t.db.pixelKey.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(JSON.parse(state.webPixel!.settings)).toEqual({ shopKey: pixelKey.key, endpoint: "https://app.example/api/pixel/events" });

    // One live experiment per product.
    const second = await createExperiment(deps(), { shopId: shop.id, productGid, candidateIds: await seedCandidates(shop.id, productGid, 1) });
    await expect(startExperiment(deps(), shop.id, second.id)).rejects.toMatchObject({ status: 409 });

    // Simulated visitors: control adds to cart at 10%, the variant at 14% (a true +40% lift), over 6 days at 1,000 visitors a day.
    const random = seededRandom(42);
    let day = Date.UTC(2026, 10, 1, 12);
    const ingest = testIngestor({ db: t.db, dialect: t.kind, limits: { shopEventsPerSecond: 1e6, clientEventsPerMinute: 1e6 }, now: () => day });
    const productId = productGid.replace(/^.*\//, "");
    let visitor = 0;
    for (let d = 0; d < 6; d++) {
      const requests = [];
      for (let v = 0; v < 1000; v++) {
        const arm = random() < 0.5 ? "a" : "b";
        const events: PixelPayload["events"] = [{ id: `v${visitor}`, type: "view", experimentId: draft.id, arm, productId, quantity: 1 }];
        if (random() < (arm === "a" ? 0.1 : 0.14)) events.push({ id: `c${visitor}`, type: "add_to_cart", experimentId: draft.id, arm, productId, quantity: 1 });
        requests.push({ key: pixelKey.key, clientId: `visitor-${visitor++}`, events });
      }
      // A day's visitors arrive together; the ingestor commits them in groups.
      const outcomes = await Promise.all(requests.map((r) => ingest.ingest(r)));
      expect(outcomes.every((o) => o.kind === "accepted" && o.ignored === 0)).toBe(true);
      await ingest.flush();
      day += 86_400_000;
    }
    const results = await experimentResults(t.db, shop.id, experiment);
    expect(results.srm.mismatch).toBe(false);
    expect(results.decision).toMatchObject({ kind: "variant_better", armKey: "b" });

    await pauseExperiment(deps(), shop.id, draft.id);
    expect(JSON.parse([...state.metafields.values()].find((m) => m.ownerId === productGid)!.value).status).toBe("paused");

    const applied = await applyWinner(deps(), shop.id, draft.id, "b");
    expect(applied.status).toBe("winner_applied");
    const after = (await getProductGallery(admin, productGid))!;
    expect(after.media[0]!.id).toBe(variant.shopifyFileId);
    // The control stays in the gallery.
    expect(after.media.map((m) => m.id)).toContain(before.media[0]!.id);
    expect([...state.metafields.values()].some((m) => m.ownerId === productGid)).toBe(false);
    // The product is free for a new test.
    await expect(stopExperiment(deps(), shop.id, draft.id)).rejects.toMatchObject({ status: 409 });
    expect((await startExperiment(deps(), shop.id, second.id)).status).toBe("running");
  }, 120_000);

  it("deletes the losing variants' Files when asked, and keeps the winner's", async () => {
    const shop = await t.db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const products = [...store.data.shops.get(SHOP)!.products.values()].filter((p) => p.media.length > 0);
    const productGid = `gid://shopify/Product/${products[products.length - 1]!.id}`;
    const draft = await createExperiment(deps(), { shopId: shop.id, productGid, candidateIds: await seedCandidates(shop.id, productGid, 2) });
    await startExperiment(deps(), shop.id, draft.id);
    const arms = (await requireExperiment(t.db, shop.id, draft.id)).arms;
    const [b, c] = [arms.find((a) => a.key === "b")!, arms.find((a) => a.key === "c")!];
    await applyWinner(deps(), shop.id, draft.id, "b", { deleteLosers: true });
    const files = detachedFiles(store.data.shops.get(SHOP)!);
    expect(files.has(Number(c.shopifyFileId!.split("/").pop()))).toBe(false);
    expect((await getProductGallery(admin, productGid))!.media[0]!.id).toBe(b.shopifyFileId);
    expect((await requireExperiment(t.db, shop.id, draft.id)).arms.find((a) => a.key === "c")).toMatchObject({ fileStatus: "deleted" });
  }, 60_000);
});

describe("the shop's A/B and privacy settings", () => {
  it("splits traffic by the shop's default share, and refuses tests while the pixel is off", async () => {
    const shop = await t.db.shop.upsert({ where: { domain: SHOP }, create: { domain: SHOP }, update: {} });
    const productGid = await productWithPhoto();
    const current = await getShopSettings(t.db, shop.id);
    try {
      await saveShopSettings(t.db, shop.id, { ...current, ab: { ...current.ab, trafficPercent: 20 } });
      const draft = await createExperiment(deps(), { shopId: shop.id, productGid, candidateIds: await seedCandidates(shop.id, productGid, 2) });
      expect((await requireExperiment(t.db, shop.id, draft.id)).arms.map((a) => [a.key, a.weight])).toEqual([["a", 80], ["b", 10], ["c", 10]]);

      await saveShopSettings(t.db, shop.id, { ...current, privacy: { ...current.privacy, pixelEnabled: false } });
      await expect(createExperiment(deps(), { shopId: shop.id, productGid, candidateIds: await seedCandidates(shop.id, productGid, 1) })).rejects.toMatchObject({ status: 409 });
      await expect(startExperiment(deps(), shop.id, draft.id)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/pixel/) });
      expect((await requireExperiment(t.db, shop.id, draft.id)).status).toBe("draft");
    } finally {
      await saveShopSettings(t.db, shop.id, current);
    }
  }, 60_000);
});
