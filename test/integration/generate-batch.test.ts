import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchProgress } from "~/batches/progress.server";
import { connectDb } from "~/db/client.server";
import { SHOP_A, SHOP_B, startStack, type Stack } from "../support/stack";

/**
 * The main job end to end on the embedded defaults: a merchant launches a
 * batch from the app, the separate worker process generates with the offline
 * studio provider, candidates land in storage and the database, and the
 * batch page reports completion — for that shop only.
 */
describe("generating imagery for selected products", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true });
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
    expect((await stack.openEmbedded(SHOP_B)).status).toBe(200);
  });
  afterAll(async () => stack?.close());

  it("launches, runs in the worker, stores candidates, and reports progress", async () => {
    const products = [...stack.store.data.shop(SHOP_A).products.values()].filter((p) => p.media.length > 0).slice(0, 3);
    const request = {
      productGids: products.map((p) => `gid://shopify/Product/${p.id}`),
      presetIds: ["packshot-white"],
      candidatesPerProduct: 2,
      providerId: "studio",
      model: "studio-1",
      options: { size: "1024x1024", quality: "medium", format: "webp", background: "opaque", useReference: true, brandKit: false },
    };
    const launched = await stack.postData(SHOP_A, "/app/batches/new", "routes/app.batches.new", {
      intent: "launch",
      request: JSON.stringify(request),
    });
    const target = launched.headers.get("x-remix-redirect") ?? "";
    const batchId = /\/app\/batches\/([^/?]+)/.exec(target)?.[1];
    expect(batchId, `${launched.status} ${await launched.text()}`).toBeTruthy();

    let progress: BatchProgress | undefined;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const page = await stack.loadData<{ progress: BatchProgress }>(SHOP_A, `/app/batches/${batchId}`, "routes/app.batches.$id");
      expect(page.status).toBe(200);
      progress = page.body.progress;
      if (progress.status === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(progress?.status, stack.app.logs().slice(-3000)).toBe("completed");
    // Some seeded packshots (white product on white) cannot be cut out; those fail with a reason, never silently.
    expect(progress!.counts.succeeded + progress!.counts.failed).toBe(6);
    expect(progress!.counts.succeeded).toBeGreaterThan(0);
    for (const product of progress!.products) {
      for (const error of product.errors) expect(error.reason.length).toBeGreaterThan(10);
    }

    const db = await connectDb(stack.database.url);
    try {
      const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP_A } });
      const candidates = await db.candidate.findMany({ where: { shopId: shop.id } });
      expect(candidates).toHaveLength(progress!.counts.succeeded);
      for (const candidate of candidates) {
        expect(candidate.storageKey.startsWith(`shops/${shop.id}/`)).toBe(true);
        expect(existsSync(path.join(stack.storageDir, candidate.storageKey))).toBe(true);
        expect(candidate.costMicros).toBe(0n);
      }
      expect(await db.costLedgerEntry.count()).toBeLessThanOrEqual(progress!.counts.succeeded);
    } finally {
      await db.$disconnect();
    }

    const other = await stack.loadData(SHOP_B, `/app/batches/${batchId}`, "routes/app.batches.$id");
    expect(other.status).toBe(404);
  }, 150_000);
});
