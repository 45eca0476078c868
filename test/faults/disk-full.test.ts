import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TMP } from "../support/databases";
import { batchIn, batchRequest, productOf, productsWithPhotos, startFaultStack, waitFor } from "./fault-stack";

const ITEMS = 3;

/**
 * Local storage's disk fills up under a running batch: each item fails at
 * once with a reason the merchant can act on (no retry loop paying the
 * provider again and again), the call each made is in the ledger (the
 * provider was paid though the image was lost) and the batch page says so,
 * and once space is freed the merchant's retry makes every image with one
 * more call each, entered too: the ledger holds every call the provider made.
 */
describe("local storage with a full disk", () => {
  it("fails the items with a clear reason, enters every paid call once, and a later retry succeeds", async () => {
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
      const lostCalls = await db.costLedgerEntry.findMany({ where: { itemId: { in: failed.map((i) => i.id) } } });
      for (const item of failed) {
        expect(item).toMatchObject({ status: "failed", errorKind: "storage", attempts: 1 });
        expect(item.errorMessage).toMatch(/Storage is full/);
        const rows = lostCalls.filter((e) => e.itemId === item.id);
        expect(rows.map((e) => e.attempt)).toEqual([1]);
        expect(rows[0]!.amountMicros).toBeGreaterThan(0n);
        expect(item.costMicros).toBe(rows[0]!.amountMicros);
      }
      const page = await stack.progress(batchId);
      const errors = page.products.flatMap((p) => p.errors);
      expect(errors).toHaveLength(ITEMS);
      for (const error of errors) {
        expect(error.reason).toMatch(/Saving the image failed: Storage is full.*Free disk space/);
        expect(error.paidMicros).toBeGreaterThan(0);
      }
      expect(page.spentMicros).toBe(Number(lostCalls.reduce((sum, e) => sum + e.amountMicros, 0n)));
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
      // One row per call the provider made: each item's lost call and its retry, the same request at the same price.
      const ledger = await db.costLedgerEntry.findMany({ where: { itemId: { in: retried.map((i) => i.id) } } });
      expect(ledger).toHaveLength(openai.requests.length);
      const candidates = await db.candidate.findMany({ where: { itemId: { in: retried.map((i) => i.id) } } });
      expect(candidates).toHaveLength(ITEMS);
      for (const item of retried) {
        expect(item.attempts).toBe(2);
        const rows = ledger.filter((e) => e.itemId === item.id).sort((a, b) => a.attempt - b.attempt);
        expect(rows.map((e) => e.attempt)).toEqual([1, 2]);
        const price = lostCalls.find((e) => e.itemId === item.id)!.amountMicros;
        expect(rows.map((e) => e.amountMicros)).toEqual([price, price]);
        expect(item.costMicros).toBe(2n * price);
        // The kept image carries only its own call's cost.
        expect(candidates.find((c) => c.itemId === item.id)!.costMicros).toBe(price);
      }
      const retriedPage = await stack.progress(batchId);
      expect(retriedPage.spentMicros).toBe(Number(ledger.reduce((sum, e) => sum + e.amountMicros, 0n)));
      // Each retry is one new call per item.
      const perProduct = new Map<string, number>();
      for (const request of openai.requests) perProduct.set(productOf(request, products), (perProduct.get(productOf(request, products)) ?? 0) + 1);
      expect([...perProduct.values()]).toEqual(Array.from({ length: ITEMS }, () => 2));

      console.info(
        `[faults] disk full: ${ITEMS} items failed with "Storage is full" after ${callsWhileFull} calls, ` +
          `all ${ITEMS} succeeded on retry with ${openai.requests.length - callsWhileFull} more calls, ${ledger.length} ledger rows ` +
          `(${lostCalls.length} for lost images), ` +
          `total ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await stack.close();
      rmSync(markerDir, { recursive: true, force: true });
    }
  }, 240_000);
});
