import { expect } from "vitest";
import { scripted } from "../openai-server/server";
import { batchIn, batchRequest, productOf, productsWithPhotos, startFaultStack, waitFor, type FaultStackOptions } from "./fault-stack";
import type { PrivateService } from "./private-services";

const ITEMS = 6;
const PROVIDER_LATENCY_MS = 1_500;
/** Long enough that calls in flight answer while the service is down and must wait to be recorded. */
const OUTAGE_MS = 3_000;

/**
 * The service the queue lives in (Redis for BullMQ, the database for the
 * embedded engine) crashes in the middle of a batch and comes back: the batch
 * completes, every item ends once, every paid call a worker received is in the ledger once.
 */
export async function restartMidBatch(
  service: PrivateService,
  stackOptions: Pick<FaultStackOptions, "queueDriver" | "env" | "database">,
  // Longer than the outage: a restart of a few seconds must not make live work look dead.
  leaseMs = 15_000,
): Promise<void> {
  const started = Date.now();
  const stack = await startFaultStack({ ...stackOptions, leaseMs, concurrency: 2 });
  try {
    const { db, openai } = stack;
    openai.enqueue(...Array.from({ length: ITEMS * 3 }, () => scripted.slow(PROVIDER_LATENCY_MS)));
    // The first product's photo cannot be cut out (see provider-faults.test.ts); every item here must reach the provider.
    const products = productsWithPhotos(stack.store, ITEMS + 1).slice(1);
    await stack.startWorker().ready();
    const batchId = await stack.launch(batchRequest(products, "packshot-white"));

    await waitFor(
      "an item settled and a provider call in flight",
      async () => {
        const settled = await db.batchItem.count({ where: { batchId, status: { in: ["succeeded", "failed"] } } });
        return settled >= 1 && openai.requests.some((r) => r.answer === undefined) ? true : undefined;
      },
      60_000,
      stack.logs,
    );
    const downAt = Date.now();
    await service.kill();
    const requestsAtKill = openai.requests.length;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await service.restart();
    const outageMs = Date.now() - downAt;

    const batch = await batchIn(stack, batchId, ["completed"], 120_000);
    expect(batch.status).toBe("completed");
    const items = await db.batchItem.findMany({ where: { batchId } });
    expect(items).toHaveLength(ITEMS);
    const succeeded = items.filter((i) => i.status === "succeeded");
    const failed = items.filter((i) => i.status === "failed");
    expect(succeeded.length + failed.length, JSON.stringify(items.map((i) => [i.status, i.errorKind]))).toBe(ITEMS);
    for (const item of failed) expect(item.errorMessage?.length ?? 0, item.errorKind ?? "").toBeGreaterThan(10);
    expect(succeeded.length).toBeGreaterThan(0);

    const candidates = await db.candidate.findMany({ where: { itemId: { in: items.map((i) => i.id) } } });
    expect(candidates.map((c) => c.itemId).sort()).toEqual(succeeded.map((i) => i.id).sort());

    const perProduct = new Map<string, number>();
    for (const request of openai.requests) perProduct.set(productOf(request, products), (perProduct.get(productOf(request, products)) ?? 0) + 1);
    const repeated = [...perProduct.values()].filter((count) => count > 1).length;
    // A call answered during the outage is recorded once the service is back, not made again.
    expect(repeated, JSON.stringify([...perProduct])).toBe(0);

    // Money: each item made one call, so it has one ledger row if a worker received the answer: every
    // succeeded item does, and a failed one whose image was lost after its call was paid.
    const ledger = await db.costLedgerEntry.findMany({ where: { itemId: { in: items.map((i) => i.id) } } });
    for (const item of items) {
      const rows = ledger.filter((e) => e.itemId === item.id);
      if (item.status === "succeeded") expect(rows.length, item.productGid).toBe(1);
      else expect(rows.length, item.productGid).toBeLessThanOrEqual(1);
      expect(item.costMicros ?? 0n, item.productGid).toBe(rows.reduce((sum, e) => sum + e.amountMicros, 0n));
    }

    console.info(
      `[faults] ${stackOptions.queueDriver} restart of its ${stackOptions.queueDriver === "bullmq" ? "Redis" : "PostgreSQL"}: ` +
        `${ITEMS} items, ${requestsAtKill} provider calls made before the crash, outage ${(outageMs / 1000).toFixed(1)} s, ` +
        `${succeeded.length} succeeded, ${failed.length} failed, ${openai.requests.length} provider requests, ` +
        `${ledger.length} ledger rows, total ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await stack.close();
  }
}
