/**
 * The review use cases on a real database: verdicts and their refusals, the
 * queue across products, one product's screen, "regenerate similar" through
 * the batch path, and the image bytes — each only ever for the owning shop.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBatch } from "~/batches/create-batch.server";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { createProviderRegistry } from "~/providers/registry.server";
import { createLocalStorage } from "~/storage/local-storage.server";
import { shopKey } from "~/storage/types";
import { batchRequest, seedProducts, seedShop } from "../../test/batches/fixtures";
import { useTestDatabase } from "../../test/support/use-test-database";
import { candidateImage } from "./candidate-image.server";
import { decideCandidate } from "./decide.server";
import { productReview } from "./product-review.server";
import { nextProductToReview, queueCounts, reviewQueue } from "./queue.server";
import { regenerateSimilar } from "./regenerate.server";

const t = useTestDatabase({ emptyBeforeEach: false });
const registry = createProviderRegistry({});
let storageDir: string;
let counter = 0;

beforeAll(() => {
  storageDir = mkdtempSync(path.join(tmpdir(), "pis-review-"));
});
afterAll(() => rmSync(storageDir, { recursive: true, force: true }));

/** A shop with products and one launched batch whose items each produced one stored candidate. */
async function setup(products = 2) {
  counter += 1;
  const shop = await seedShop(t.db, `review-${process.pid}-${counter}.myshopify.com`);
  const gids = await seedProducts(t.db, shop.id, products, "https://cdn.example/photo.jpg");
  const enqueued: string[] = [];
  const deps = { db: t.db, registry, presets: PRESET_LIBRARY, now: () => new Date(), concurrency: 1, queue: { enqueue: async (_job: unknown, options: { jobId: string }) => void enqueued.push(options.jobId) } };
  const created = await createBatch(deps as never, shop.id, batchRequest(gids, { candidatesPerProduct: 2 }));
  if (!created.ok) throw new Error(created.reasons.join("; "));
  const storage = createLocalStorage(storageDir);
  const items = await t.db.batchItem.findMany({ where: { batchId: created.batchId }, orderBy: [{ productGid: "asc" }, { candidateIndex: "asc" }] });
  const candidates = [];
  for (const item of items) {
    const key = (name: string) => shopKey(shop.id, "candidates", item.id, name);
    await storage.put(key("0.webp"), Buffer.from(`full-${item.id}`), "image/webp");
    await storage.put(key("0-256.webp"), Buffer.from(`thumb-${item.id}`), "image/webp");
    await storage.put(key("0-768.webp"), Buffer.from(`large-${item.id}`), "image/webp");
    candidates.push(
      await t.db.candidate.create({
        data: {
          shopId: shop.id,
          itemId: item.id,
          productGid: item.productGid,
          presetId: item.presetId,
          providerId: "studio",
          model: "studio-1",
          seed: item.seed,
          storageKey: key("0.webp"),
          thumbSmallKey: key("0-256.webp"),
          thumbLargeKey: key("0-768.webp"),
          format: "webp",
          width: 1024,
          height: 1024,
          bytes: 10,
          perceptualHash: "0",
          fidelityScore: 0.7,
          fidelityFlagged: true,
          promptHash: "p",
        },
      }),
    );
  }
  return { shop, gids, candidates, storage, enqueued, createDeps: deps };
}

describe("deciding on a candidate", () => {
  it("approves, rejects, resets and marks A/B candidates", async () => {
    const { shop, candidates } = await setup(1);
    const [first, second] = candidates;
    expect(await decideCandidate(t.db, shop.id, first!.id, "approve")).toMatchObject({ ok: true, candidate: { status: "approved" } });
    expect(await decideCandidate(t.db, shop.id, first!.id, "ab-on")).toMatchObject({ ok: true, candidate: { status: "approved", abCandidate: true } });
    // Rejecting takes the image out of the A/B set, and a rejected image cannot join it.
    expect(await decideCandidate(t.db, shop.id, first!.id, "reject")).toMatchObject({ ok: true, candidate: { status: "rejected", abCandidate: false } });
    expect(await decideCandidate(t.db, shop.id, first!.id, "ab-on")).toMatchObject({ ok: false, status: 409 });
    expect(await decideCandidate(t.db, shop.id, first!.id, "reset")).toMatchObject({ ok: true, candidate: { status: "new" } });
    expect(await decideCandidate(t.db, shop.id, second!.id, "ab-on")).toMatchObject({ ok: true, candidate: { status: "new", abCandidate: true } });
  });

  it("leaves published images alone except for the A/B mark", async () => {
    const { shop, candidates } = await setup(1);
    const [published] = candidates;
    await t.db.candidate.update({ where: { id: published!.id }, data: { status: "published", shopifyMediaId: "gid://shopify/MediaImage/1" } });
    for (const decision of ["approve", "reject", "reset"] as const) {
      const result = await decideCandidate(t.db, shop.id, published!.id, decision);
      expect(result).toMatchObject({ ok: false, status: 409 });
    }
    expect(await decideCandidate(t.db, shop.id, published!.id, "ab-on")).toMatchObject({ ok: true, candidate: { status: "published", abCandidate: true } });
  });

  it("answers another shop's candidate exactly like a missing one, and changes nothing", async () => {
    const a = await setup(1);
    const b = await setup(1);
    const theirs = b.candidates[0]!;
    const foreign = await decideCandidate(t.db, a.shop.id, theirs.id, "approve");
    const missing = await decideCandidate(t.db, a.shop.id, "no-such-candidate", "approve");
    expect(foreign).toEqual(missing);
    expect(foreign).toMatchObject({ ok: false, status: 404 });
    expect((await t.db.candidate.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("new");
  });
});

describe("the review queue", () => {
  it("counts and lists products per tab, for this shop only", async () => {
    const a = await setup(2);
    await setup(2);
    const [c1, c2, c3] = a.candidates;
    expect(await queueCounts(t.db, a.shop.id)).toEqual({ "needs-review": 4, approved: 0, published: 0, ab: 0 });

    await decideCandidate(t.db, a.shop.id, c1!.id, "approve");
    await decideCandidate(t.db, a.shop.id, c2!.id, "ab-on");
    await decideCandidate(t.db, a.shop.id, c3!.id, "reject");
    expect(await queueCounts(t.db, a.shop.id)).toEqual({ "needs-review": 2, approved: 1, published: 0, ab: 1 });

    const needs = await reviewQueue(t.db, a.shop.id, "needs-review");
    expect(needs.rows.map((r) => [r.productGid, r.images]).sort()).toEqual([
      [a.gids[0], 1],
      [a.gids[1], 1],
    ]);
    expect(needs.rows[0]!.title).toMatch(/^Glass bottle/);
    const approved = await reviewQueue(t.db, a.shop.id, "approved");
    expect(approved.rows).toEqual([expect.objectContaining({ productGid: c1!.productGid, images: 1 })]);

    await t.db.candidate.update({ where: { id: c1!.id }, data: { status: "published", shopifyMediaId: "gid://shopify/MediaImage/9" } });
    expect(await queueCounts(t.db, a.shop.id)).toEqual({ "needs-review": 2, approved: 0, published: 1, ab: 1 });
  });

  it("points at the next product with images waiting", async () => {
    const a = await setup(3);
    const order = (await reviewQueue(t.db, a.shop.id, "needs-review")).rows.map((r) => r.productGid);
    expect(await nextProductToReview(t.db, a.shop.id, order[0]!)).toBe(order[1]);
    // Past the end it wraps around to the first one still waiting.
    expect(await nextProductToReview(t.db, a.shop.id, order[2]!)).toBe(order[0]);
    for (const c of a.candidates.filter((c) => c.productGid !== order[0])) await decideCandidate(t.db, a.shop.id, c.id, "approve");
    expect(await nextProductToReview(t.db, a.shop.id, order[0]!)).toBeNull();
  });
});

describe("one product's review screen", () => {
  it("shows the current image and every candidate with signed image URLs; nothing for another shop", async () => {
    const a = await setup(1);
    const b = await setup(1);
    const signed: string[] = [];
    const deps = {
      db: t.db,
      presetName: (id: string) => PRESET_LIBRARY.find((p) => p.id === id)?.name,
      imageUrl: (grant: { shopId: string; candidateId: string; variant: string }) => {
        signed.push(grant.shopId);
        return `/images/${grant.candidateId}/${grant.variant}`;
      },
    };
    const review = await productReview(deps, a.shop.id, a.gids[0]!);
    expect(review).toMatchObject({ title: "Glass bottle 1", featuredImageUrl: "https://cdn.example/photo.jpg" });
    expect(review!.candidates).toHaveLength(2);
    expect(review!.candidates[0]).toMatchObject({ presetName: "White background packshot", fidelityFlagged: true, model: "studio-1", regenerateUnavailable: null });
    expect(new Set(signed)).toEqual(new Set([a.shop.id]));
    // B's product has the same gid in B's catalog; A's screen never shows B's images.
    expect(b.gids[0]).toBe(a.gids[0]);
    expect(review!.candidates.map((c) => c.id).sort()).toEqual(a.candidates.map((c) => c.id).sort());
    expect(await productReview(deps, a.shop.id, "gid://shopify/Product/999999")).toBeNull();
  });
});

describe("regenerate similar", () => {
  it("launches a one-item batch with the same preset, provider and options and a new seed", async () => {
    const a = await setup(1);
    const source = a.candidates[0]!;
    const result = await regenerateSimilar(
      { db: t.db, launch: (request) => createBatch(a.createDeps as never, a.shop.id, request) },
      a.shop.id,
      source.id,
    );
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    const batch = await t.db.batch.findUniqueOrThrow({ where: { id: result.batchId }, include: { items: true } });
    const original = await t.db.batch.findFirstOrThrow({ where: { items: { some: { id: source.itemId! } } } });
    expect(batch).toMatchObject({ shopId: a.shop.id, providerId: "studio", model: "studio-1", optionsJson: original.optionsJson, candidatesPerProduct: 1 });
    expect(batch.items).toHaveLength(1);
    expect(batch.items[0]).toMatchObject({ productGid: source.productGid, presetId: source.presetId });
    expect(batch.items[0]!.seed).not.toBe(source.seed);
    // Priced and queued like any batch, so the ledger and budget see it.
    expect(batch.estimatedCostMicros).toBe(0n);
    expect(a.enqueued).toContain(`generate-item:${batch.items[0]!.id}`);
  });

  it("refuses another shop's candidate as missing, and stops at the budget like a batch", async () => {
    const a = await setup(1);
    const b = await setup(1);
    const launched: unknown[] = [];
    const deps = { db: t.db, launch: async (request: unknown) => (launched.push(request), { ok: false as const, reasons: ["over budget"] }) };
    expect(await regenerateSimilar(deps, a.shop.id, b.candidates[0]!.id)).toMatchObject({ ok: false, status: 404 });
    expect(launched).toHaveLength(0);
    expect(await regenerateSimilar(deps, a.shop.id, a.candidates[0]!.id)).toEqual({ ok: false, reasons: ["over budget"] });
  });
});

describe("candidate image bytes", () => {
  it("serves each variant to the owning shop and nothing to another", async () => {
    const a = await setup(1);
    const b = await setup(1);
    const mine = a.candidates[0]!;
    const deps = { db: t.db, storage: a.storage };
    const thumb = await candidateImage(deps, a.shop.id, mine.id, "thumb");
    expect(thumb).toMatchObject({ contentType: "image/webp" });
    expect(thumb!.body.toString()).toBe(`thumb-${mine.itemId}`);
    expect((await candidateImage(deps, a.shop.id, mine.id, "full"))!.body.toString()).toBe(`full-${mine.itemId}`);
    expect(await candidateImage(deps, b.shop.id, mine.id, "full")).toBeNull();
    expect(await candidateImage(deps, a.shop.id, "missing", "full")).toBeNull();
  });
});
