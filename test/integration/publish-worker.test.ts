import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "~/config/env.server";
import { connectDb, type Db } from "~/db/client.server";
import { enqueuePublish, enqueueUndo } from "~/publish/jobs";
import { requestPublication, requestUndoPublication } from "~/publish/publish.server";
import { createQueue } from "~/queue/engine.server";
import type { JobQueue } from "~/queue/types";
import { createLocalStorage } from "~/storage/local-storage.server";
import { approvedCandidate, galleryOf } from "../support/publish-fixtures";
import { SHOP_A, startStack, type Stack } from "../support/stack";

/**
 * Publishing as it runs in production: `npm run worker` (a separate process
 * with no merchant request) picks up the jobs, reaches the local store through
 * the shop's offline session stored at install and SHOPIFY_SHOP_ORIGIN_OVERRIDES,
 * and writes the image to the product; undo takes it off again.
 */
describe("publish jobs in the worker process", () => {
  let stack: Stack;
  let db: Db;
  let queue: JobQueue;

  beforeAll(async () => {
    stack = await startStack({ worker: true });
    // Opening the app installs it: token exchange stores the offline session.
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
    db = await connectDb(stack.database.url);
    queue = createQueue(parseEnv({ SHOPIFY_API_KEY: "x", SHOPIFY_API_SECRET: "x", SHOPIFY_APP_URL: "http://127.0.0.1:9", SCOPES: "read_products", DATABASE_URL: stack.database.url }), db);
  });
  afterAll(async () => {
    await queue?.close();
    await db?.$disconnect();
    await stack?.close();
  });

  async function until(candidateId: string, status: string) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const row = await db.publication.findUniqueOrThrow({ where: { candidateId } });
      if (row.status === status || Date.now() > deadline) return row;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it("publishes as the featured image, reports a corrupt file with Shopify's reason, and undoes", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP_A } });
    const product = [...stack.store.data.shop(SHOP_A).products.values()].find((p) => p.media.length > 0)!;
    const productGid = `gid://shopify/Product/${product.id}`;
    const before = galleryOf(stack.store, SHOP_A, product.id);
    const storage = createLocalStorage(stack.storageDir);

    const good = await approvedCandidate(db, storage, { shopId: shop.id, productGid });
    await requestPublication(db, { shopId: shop.id, candidateId: good.id, makeFeatured: true });
    await enqueuePublish(queue, shop.id, good.id);
    const published = await until(good.id, "published");
    expect(published.status, `${published.errorMessage}\n${stack.app.logs().slice(-2000)}`).toBe("published");
    const gallery = galleryOf(stack.store, SHOP_A, product.id);
    expect(gallery[0]).toMatchObject({ id: published.shopifyMediaId, status: "READY", fileName: `pis-${good.id}.png` });
    expect(gallery.slice(1)).toEqual(before);

    const corrupt = await approvedCandidate(db, storage, { shopId: shop.id, productGid, bytes: randomBytes(2048) });
    await requestPublication(db, { shopId: shop.id, candidateId: corrupt.id, makeFeatured: false });
    await enqueuePublish(queue, shop.id, corrupt.id);
    const failed = await until(corrupt.id, "failed");
    expect(failed).toMatchObject({ status: "failed", errorCode: "UNSUPPORTED_IMAGE_FILE_TYPE" });
    expect(failed.errorMessage).toContain("Shopify could not process the image");

    await requestUndoPublication(db, { shopId: shop.id, candidateId: good.id });
    await enqueueUndo(queue, shop.id, good.id);
    expect((await until(good.id, "undone")).status).toBe("undone");
    expect(galleryOf(stack.store, SHOP_A, product.id)).toEqual(before);
  }, 120_000);
});
