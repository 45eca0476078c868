import { expect } from "vitest";
import { scripted } from "../openai-server/server";
import { batchRequest, productOf, productsWithPhotos, startFaultStack, waitFor } from "./fault-stack";

const ITEMS = 5;
const PROVIDER_LATENCY_MS = 1_200;

/**
 * A worker SIGKILLed in the middle of a batch and a new one started: on both
 * engines every item ends exactly once, each paid call a worker received is
 * in the ledger once (the kept images' and those the kill lost), and the
 * provider never sees a second request for work that was already recorded.
 */
export async function killWorkerMidBatch(queueDriver: "embedded" | "bullmq"): Promise<void> {
  const started = Date.now();
  const stack = await startFaultStack({ queueDriver, leaseMs: 3_000, concurrency: 2 });
  try {
    const { db, openai } = stack;
    const logs = stack.logs;
    // Slow enough that the kill catches calls in flight; more answers than the batch can ask for.
    openai.enqueue(...Array.from({ length: ITEMS * 3 }, () => scripted.slow(PROVIDER_LATENCY_MS)));
    const products = productsWithPhotos(stack.store, ITEMS);
    const batchId = await stack.launch(batchRequest(products, "packshot-white"));

    const first = stack.startWorker();
    const atKill = await waitFor(
      "two items settled and a provider call in flight",
      async () => {
        const items = await db.batchItem.findMany({ where: { batchId } });
        const settled = items.filter((i) => i.status === "succeeded" || i.status === "failed");
        const inFlight = openai.requests.filter((r) => r.answer === undefined);
        return settled.length >= 2 && inFlight.length > 0 ? items : undefined;
      },
      90_000,
      logs,
    );
    await first.kill();
    // Counted after the process is gone: nothing it started can reach the server any more.
    const requestsAtKill = openai.requests.length;
    const afterKill = await db.batchItem.findMany({ where: { batchId } });
    const settledAtKill = new Set(afterKill.filter((i) => i.status === "succeeded" || i.status === "failed").map((i) => i.productGid));
    const itemsHeldAtKill = afterKill.filter((i) => i.status === "running").length;
    expect(atKill.length).toBe(ITEMS);
    expect(itemsHeldAtKill, "the kill must catch at least one item mid-run").toBeGreaterThan(0);

    stack.startWorker();
    const batch = await waitFor(
      "the batch to complete after the restart",
      async () => {
        const row = await db.batch.findUniqueOrThrow({ where: { id: batchId } });
        return row.status === "completed" ? row : undefined;
      },
      90_000,
      logs,
    );
    expect(batch.status).toBe("completed");

    const items = await db.batchItem.findMany({ where: { batchId } });
    expect(items).toHaveLength(ITEMS);
    const succeeded = items.filter((i) => i.status === "succeeded");
    const failed = items.filter((i) => i.status === "failed");
    expect(succeeded.length + failed.length, JSON.stringify(items.map((i) => i.status))).toBe(ITEMS);
    expect(succeeded.length).toBeGreaterThan(0);
    for (const item of failed) expect(item.errorMessage?.length ?? 0, item.errorKind ?? "").toBeGreaterThan(10);

    // The provider: work settled before the kill is never asked for again. A call the killed
    // worker had open (or had answered but not yet recorded) cannot be recovered: its answer
    // lived only in that process's memory, and OpenAI's Images API has no idempotency key to
    // fetch a finished result by, so such an item may be generated (and paid) once more, never more.
    // Calls the provider received whole: a request cut off mid-upload by the kill is never run or billed.
    const calls = openai.requests.filter((r) => r.bodyReceived);
    const perProduct = new Map<string, number>();
    for (const request of calls) {
      const gid = productOf(request, products);
      perProduct.set(gid, (perProduct.get(gid) ?? 0) + 1);
    }
    for (const gid of settledAtKill) expect(perProduct.get(gid) ?? 0, gid).toBeLessThanOrEqual(1);
    for (const [gid, count] of perProduct) expect(count, gid).toBeLessThanOrEqual(settledAtKill.has(gid) ? 1 : 2);
    const unsettledAsked = openai.requests.slice(0, requestsAtKill).filter((r) => r.bodyReceived && !settledAtKill.has(productOf(r, products))).length;
    expect(calls.length).toBeLessThanOrEqual(ITEMS + unsettledAsked);

    // Money: a ledger row per answered call a worker received, whether its image was kept or lost with the
    // killed worker (a call answered into the dead process was paid too, but no one saw its price). Each
    // item's cost is the sum of its rows, and a kept image carries the cost of the call that made it.
    const ledger = await db.costLedgerEntry.findMany({ where: { itemId: { in: items.map((i) => i.id) } } });
    expect(ledger.length).toBeLessThanOrEqual(calls.filter((r) => r.answer?.status === 200).length);
    const candidates = await db.candidate.findMany({ where: { itemId: { in: items.map((i) => i.id) } } });
    expect(candidates.map((c) => c.itemId).sort()).toEqual(succeeded.map((i) => i.id).sort());
    for (const item of items) {
      const rows = ledger.filter((e) => e.itemId === item.id);
      expect(rows.length, item.productGid).toBeLessThanOrEqual(perProduct.get(item.productGid) ?? 0);
      expect(item.costMicros ?? 0n, item.productGid).toBe(rows.reduce((sum, e) => sum + e.amountMicros, 0n));
      if (item.status !== "succeeded") continue;
      const kept = rows.find((e) => e.attempt === item.attempts);
      expect(kept, `${item.productGid}: the kept image's call`).toBeDefined();
      expect(candidates.find((c) => c.itemId === item.id)!.costMicros).toBe(kept!.amountMicros);
    }
    const lostRows = ledger.filter((e) => {
      const item = items.find((i) => i.id === e.itemId)!;
      return item.status !== "succeeded" || item.attempts !== e.attempt;
    });
    console.info(
      `[faults] kill-worker ${queueDriver}: ${ITEMS} items, ${itemsHeldAtKill} held at kill, ${succeeded.length} succeeded, ` +
        `${failed.length} failed, ${calls.length} provider calls received whole (${openai.requests.length} begun), ${ledger.length} ledger rows (${lostRows.length} for lost images), ` +
        `${(stack.logs().match(/could not renew lock|Missing lock/g) ?? []).length} lost-lock messages, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await stack.close();
  }
}
