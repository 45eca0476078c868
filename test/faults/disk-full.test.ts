import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TMP } from "../support/databases";
import { batchIn, batchRequest, productOf, productsWithPhotos, startFaultStack, waitFor } from "./fault-stack";

const ITEMS = 3;

/**
 * Local storage's disk fills up under a running batch: each item fails at
 * once with a reason the merchant can act on (no retry loop paying the
 * provider again and again), nothing enters the ledger for images that were
 * not kept, and once space is freed the merchant's retry makes every image,
 * each paid once.
 */
describe("local storage with a full disk", () => {
  it("fails the items with a clear reason, charges nothing twice, and a later retry succeeds", async () => {
    const started = Date.now();
    const markerDir = mkdtempSync(path.join(TMP, "faults-disk-"));
    const marker = path.join(markerDir, "disk-is-full");
    writeFileSync(marker, "");
    const stack = await startFaultStack({
      queueDriver: "embedded",
      leaseMs: 10_000,
      concurrency: 2,
      env: { FAULTS_DISK_FULL_MARKER: marker },
    });
    try {
      const { db, openai } = stack;
      // The first product's photo cannot be cut out (see provider-faults.test.ts); these all reach the provider.
      const products = productsWithPhotos(stack.store, ITEMS + 1).slice(1);
      await stack.startWorker({ handlers: "test/faults/full-disk-handlers.ts" }).ready();
      const batchId = await stack.launch(batchRequest(products, "packshot-white"));

      const full = await batchIn(stack, batchId, ["completed"], 90_000);
      expect(full.status).toBe("completed");
      const failed = await db.batchItem.findMany({ where: { batchId } });
      for (const item of failed) {
        expect(item).toMatchObject({ status: "failed", errorKind: "storage", attempts: 1 });
        expect(item.errorMessage).toMatch(/Storage is full/);
      }
      const page = await stack.progress(batchId);
      const reasons = page.products.flatMap((p) => p.errors.map((e) => e.reason));
      expect(reasons).toHaveLength(ITEMS);
      for (const reason of reasons) expect(reason).toMatch(/Saving the image failed: Storage is full.*Free disk space/);
      expect(await db.costLedgerEntry.count({ where: { itemId: { in: failed.map((i) => i.id) } } })).toBe(0);
      expect(await db.candidate.count({ where: { itemId: { in: failed.map((i) => i.id) } } })).toBe(0);
      // One call per item: a full disk is not retried by itself.
      const callsWhileFull = openai.requests.length;
      expect(callsWhileFull).toBe(ITEMS);

      // Space freed; the merchant retries the failed items.
      rmSync(marker);
      await stack.control(batchId, "retry");
      const retried = await waitFor(
        "the retried items to succeed",
        async () => {
          // The batch turns completed just after its last item does: wait for both.
          const rows = await db.batchItem.findMany({ where: { batchId } });
          const batch = await db.batch.findUniqueOrThrow({ where: { id: batchId } });
          return rows.every((i) => i.status === "succeeded") && batch.status === "completed" ? rows : undefined;
        },
        90_000,
        stack.logs,
      );
      const ledger = await db.costLedgerEntry.findMany({ where: { itemId: { in: retried.map((i) => i.id) } } });
      expect(ledger.map((e) => e.itemId).sort()).toEqual(retried.map((i) => i.id).sort());
      const candidates = await db.candidate.findMany({ where: { itemId: { in: retried.map((i) => i.id) } } });
      expect(candidates).toHaveLength(ITEMS);
      // Each retry is one new call per item.
      const perProduct = new Map<string, number>();
      for (const request of openai.requests) perProduct.set(productOf(request, products), (perProduct.get(productOf(request, products)) ?? 0) + 1);
      expect([...perProduct.values()]).toEqual(Array.from({ length: ITEMS }, () => 2));

      console.info(
        `[faults] disk full: ${ITEMS} items failed with "Storage is full" after ${callsWhileFull} calls, ` +
          `all ${ITEMS} succeeded on retry with ${openai.requests.length - callsWhileFull} more calls, ${ledger.length} ledger rows, ` +
          `total ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await stack.close();
      rmSync(markerDir, { recursive: true, force: true });
    }
  }, 240_000);
});
