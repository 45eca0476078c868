import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue, startWorker } from "~/queue/engine.server";
import type { JobQueue, Worker } from "~/queue/types";
import { publishHandlers } from "~/publish/handlers.server";
import { enqueuePublish } from "~/publish/jobs";
import type { LocalStore } from "../shopify-store/server";
import { startTestStore } from "../shopify-store/test-harness";
import { approvedCandidate, publishEnv, publishWorld } from "../support/publish-fixtures";
import { useTestDatabase } from "../support/use-test-database";

/**
 * A merchant publishes one image to each of 100 products at once. The jobs run
 * on the embedded queue with four at a time, through the app's Admin client,
 * against a store whose cost bucket is half of Shopify's standard one (1000
 * points, restoring 100 a second) so the pacing has to work: the run spends
 * several bucketfuls, Shopify must never answer THROTTLED, and every product
 * ends with its image, featured.
 */
const SHOP = "demo-store.myshopify.com";
const PRODUCTS = 100;

describe("bulk publishing under the Admin API throttle", () => {
  const database = useTestDatabase({ emptyBeforeEach: false });
  let store: LocalStore;
  let queue: JobQueue;
  let worker: Worker | undefined;

  beforeAll(async () => {
    store = await startTestStore({ shops: [SHOP], bucketSize: 1000, restoreRate: 100, mediaTimings: { uploadedMs: 20, processingMs: 60, jobMs: 40 } });
    // The small catalog has 66 products; the merchant's store has more.
    const shop = store.data.shop(SHOP);
    const seeds = [...shop.products.values()];
    for (let i = 0; shop.products.size < PRODUCTS; i++) {
      const seed = seeds[i % seeds.length]!;
      const id = store.data.nextId();
      shop.products.set(id, { ...seed, id, handle: `${seed.handle}-copy-${i}`, media: seed.media.map((m) => ({ ...m, id: store.data.nextId() })) });
    }
  });
  afterAll(async () => {
    await worker?.stop();
    await queue?.close();
    await store?.close();
  });

  it("publishes to 100 products with no THROTTLED answer", async () => {
    const world = await publishWorld(store, database.db, database.url, [SHOP]);
    const shopId = await world.shopId(SHOP);
    const env = publishEnv(store, database.url, { WORKER_CONCURRENCY: "4", QUEUE_PREFIX: "publish-bulk" });
    const products = [...store.data.shop(SHOP).products.values()].slice(0, PRODUCTS);
    const mediaBefore = new Map(products.map((p) => [p.id, p.media.length]));
    const candidates = [];
    for (const product of products) {
      candidates.push(await approvedCandidate(database.db, world.storage, { shopId, productGid: `gid://shopify/Product/${product.id}` }));
    }

    queue = createQueue(env, database.db);
    for (const candidate of candidates) {
      await database.db.publication.create({ data: { shopId, candidateId: candidate.id, productGid: candidate.productGid, fileName: `pis-${candidate.id}.png`, makeFeatured: true } });
      await enqueuePublish(queue, shopId, candidate.id);
    }
    worker = startWorker(env, database.db, publishHandlers(world.deps));

    const deadline = Date.now() + 240_000;
    let published = 0;
    while (Date.now() < deadline) {
      published = await database.db.publication.count({ where: { shopId, status: "published" } });
      const failed = await database.db.publication.findMany({ where: { shopId, status: "failed" } });
      expect(failed.map((f) => f.errorMessage)).toEqual([]);
      if (published === PRODUCTS) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const stuck = await database.db.publication.findMany({ where: { shopId, status: { not: "published" } }, select: { step: true, status: true, errorMessage: true }, take: 5 });
    expect(published, JSON.stringify(stuck)).toBe(PRODUCTS);

    const answers = store.graphqlLog.filter((e) => e.shop === SHOP);
    const refused = answers.filter((e) => e.errorCodes.length > 0);
    expect(refused.map((e) => e.errorCodes.join(","))).toEqual([]);
    for (const product of products) {
      const media = store.data.shop(SHOP).products.get(product.id)!.media;
      expect(media).toHaveLength(mediaBefore.get(product.id)! + 1);
      expect(media[0]!.image.fileName).toMatch(/^pis-/);
      expect(media[0]!.status).toBe("READY");
    }
    const spent = answers.reduce((sum, e) => sum + (e.requestedQueryCost ?? 0), 0);
    // Several bucketfuls: pacing, not luck, kept it under the limit.
    expect(spent).toBeGreaterThan(1000 * 3);
  }, 300_000);
});
