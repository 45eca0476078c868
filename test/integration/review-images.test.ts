import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDb, type Db } from "~/db/client.server";
import type { ProductReview } from "~/review/product-review.server";
import type { ReviewQueue } from "~/review/queue.server";
import { signImageUrl } from "~/review/image-urls.server";
import { createLocalStorage } from "~/storage/local-storage.server";
import { shopKey } from "~/storage/types";
import { launchPath } from "../../extensions/product-action/src/launch-url";
import { SHOP_A, SHOP_B, startStack, type Stack } from "../support/stack";

/**
 * The review screens and their images through the built app: a shop sees and
 * loads its own candidates, and every way of reaching another shop's image —
 * a foreign id under a valid signature, an altered URL, an expired one, a
 * verdict posted for it — answers exactly like an image that does not exist.
 */
describe("review screens and candidate images behind the tenant wall", () => {
  let stack: Stack;
  let db: Db;
  const gid = "gid://shopify/Product/424242";
  const ids: Record<string, { shopId: string; candidateId: string }> = {};

  async function seedCandidate(domain: string, colour: { r: number; g: number; b: number }) {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
    const storage = createLocalStorage(stack.storageDir);
    const candidateId = `cand-${domain.split(".")[0]}`;
    const key = (name: string) => shopKey(shop.id, "candidates", candidateId, name);
    const image = (edge: number) => sharp({ create: { width: edge, height: edge, channels: 3, background: colour } }).webp().toBuffer();
    await storage.put(key("0.webp"), await image(1024), "image/webp");
    await storage.put(key("0-256.webp"), await image(256), "image/webp");
    await storage.put(key("0-768.webp"), await image(768), "image/webp");
    await db.candidate.create({
      data: {
        id: candidateId,
        shopId: shop.id,
        productGid: gid,
        presetId: "packshot-white",
        providerId: "studio",
        model: "studio-1",
        seed: 1,
        storageKey: key("0.webp"),
        thumbSmallKey: key("0-256.webp"),
        thumbLargeKey: key("0-768.webp"),
        format: "webp",
        width: 1024,
        height: 1024,
        bytes: 1,
        perceptualHash: "0",
        fidelityScore: 0.95,
        promptHash: "p",
      },
    });
    ids[domain] = { shopId: shop.id, candidateId };
  }

  beforeAll(async () => {
    stack = await startStack();
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
    expect((await stack.openEmbedded(SHOP_B)).status).toBe(200);
    db = await connectDb(stack.database.url);
    await seedCandidate(SHOP_A, { r: 200, g: 30, b: 30 });
    await seedCandidate(SHOP_B, { r: 30, g: 30, b: 200 });
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await stack?.close();
  });

  const reviewPage = (shop: string) => stack.loadData<{ review: ProductReview }>(shop, "/app/review/424242", "routes/app.review.$productId");
  const get = (path: string) => fetch(new URL(path, stack.app.url));

  it("serves a shop its own thumbnails and full images with content type and caching", async () => {
    const page = await reviewPage(SHOP_A);
    expect(page.status).toBe(200);
    const [candidate] = page.body.review.candidates;
    expect(page.body.review.candidates).toHaveLength(1);
    expect(candidate!.id).toBe(ids[SHOP_A]!.candidateId);

    const thumb = await get(candidate!.urls.thumb);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect(thumb.headers.get("cache-control")).toMatch(/^private, max-age=\d+, immutable$/);
    expect(thumb.headers.get("x-content-type-options")).toBe("nosniff");
    const pixels = await sharp(Buffer.from(await thumb.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    expect(pixels.info.width).toBe(256);
    // Shop A's red, not shop B's blue.
    expect(pixels.data[0]).toBeGreaterThan(150);
    expect(pixels.data[2]).toBeLessThan(80);

    const full = await get(`${candidate!.urls.full}&download=1`);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-disposition")).toMatch(/^attachment; filename="candidate-cand-demo-store-full\.webp"$/);
    expect((await sharp(Buffer.from(await full.arrayBuffer())).metadata()).width).toBe(1024);
  });

  it("answers another shop's candidate, altered and expired URLs like a missing image", async () => {
    const a = ids[SHOP_A]!;
    const b = ids[SHOP_B]!;
    const now = new Date();
    const missing = await get(signImageUrl(stack.apiSecret, { shopId: a.shopId, candidateId: "no-such-candidate", variant: "full" }, now));
    expect(missing.status).toBe(404);
    const missingBody = await missing.text();

    const attempts = [
      // A valid signature for shop A naming B's candidate: the query filters by shop A.
      signImageUrl(stack.apiSecret, { shopId: a.shopId, candidateId: b.candidateId, variant: "full" }, now),
      // A's own URL with the shop swapped for B's.
      signImageUrl(stack.apiSecret, { shopId: a.shopId, candidateId: b.candidateId, variant: "thumb" }, now).replace(a.shopId, b.shopId),
      // A's URL for its own candidate with the candidate swapped.
      signImageUrl(stack.apiSecret, { ...a, variant: "thumb" }, now).replace(`/${a.candidateId}/`, `/${b.candidateId}/`),
      // Signed with another secret.
      signImageUrl("not-the-app-secret", { shopId: b.shopId, candidateId: b.candidateId, variant: "full" }, now),
      // Expired (signed two windows ago).
      signImageUrl(stack.apiSecret, { shopId: b.shopId, candidateId: b.candidateId, variant: "full" }, new Date(now.getTime() - 3 * 3600_000)),
      // No signature at all.
      `/images/${b.candidateId}/full`,
    ];
    for (const url of attempts) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text()).toBe(missingBody);
      expect(response.headers.get("content-type")).not.toMatch(/^image\//);
    }
    // The same URL shape with B's own valid grant does work: the refusals above are the wall, not a broken route.
    expect((await get(signImageUrl(stack.apiSecret, { shopId: b.shopId, candidateId: b.candidateId, variant: "full" }, now))).status).toBe(200);
  });

  it("shows each shop only its own candidates for the same product id, and refuses verdicts on another's", async () => {
    const pageB = await reviewPage(SHOP_B);
    expect(pageB.status).toBe(200);
    expect(pageB.body.review.candidates.map((c) => c.id)).toEqual([ids[SHOP_B]!.candidateId]);
    expect(JSON.stringify(pageB.body)).not.toContain(ids[SHOP_A]!.candidateId);

    const foreign = await stack.postData(SHOP_B, "/app/review/424242", "routes/app.review.$productId", { intent: "approve", candidateId: ids[SHOP_A]!.candidateId });
    const missing = await stack.postData(SHOP_B, "/app/review/424242", "routes/app.review.$productId", { intent: "approve", candidateId: "no-such-candidate" });
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toBe(await missing.text());
    expect((await db.candidate.findUniqueOrThrow({ where: { id: ids[SHOP_A]!.candidateId } })).status).toBe("new");

    const absent = await stack.loadData(SHOP_A, "/app/review/999999", "routes/app.review.$productId");
    expect(absent.status).toBe(404);
  });

  it("moves an approved image between the queue's tabs", async () => {
    const queue = () => stack.loadData<{ queue: ReviewQueue }>(SHOP_A, "/app/review?tab=approved", "routes/app.review._index");
    const before = await queue();
    expect(before.status).toBe(200);
    expect(before.body.queue.counts).toEqual({ "needs-review": 1, approved: 0, published: 0, ab: 0 });
    const approved = await stack.postData(SHOP_A, "/app/review/424242", "routes/app.review.$productId", { intent: "approve", candidateId: ids[SHOP_A]!.candidateId });
    expect(approved.status).toBe(200);
    const after = await queue();
    expect(after.body.queue.counts).toEqual({ "needs-review": 0, approved: 1, published: 0, ab: 0 });
    expect(after.body.queue.rows.map((r) => r.productGid)).toEqual([gid]);
  });

  it("opens the launch form with the product the admin action was started from", async () => {
    const product = [...stack.store.data.shop(SHOP_A).products.values()][0]!;
    const productGid = `gid://shopify/Product/${product.id}`;
    const page = await stack.loadData<{ products: { id: string; title: string }[] }>(SHOP_A, launchPath(productGid), "routes/app.batches.new");
    expect(page.status).toBe(200);
    expect(page.body.products).toEqual([{ id: productGid, title: expect.any(String) }]);
    expect((await stack.openEmbedded(SHOP_A, "/app/batches/new", { product: productGid })).status).toBe(200);
  });
});
