import { describe, expect, it } from "vitest";
import { scripted, type RecordedRequest } from "../openai-server/server";
import { batchIn, batchRequest, productOf, productsWithPhotos, startFaultStack, waitFor } from "./fault-stack";

/** Short, so a hung call is cut off quickly; the server's slow answer takes well over it. */
const REQUEST_TIMEOUT_MS = 2_000;
const SLOW_ANSWER_MS = 6_000;

/**
 * A provider that misbehaves in every way OpenAI can: bursts of 429 with
 * retry-after, 500/503s, calls that never answer in time, and answers no
 * retry can change (moderation, invalid request, revoked key), then an
 * account out of quota. The batch finishes; each permanent failure is shown
 * on its item with its reason after exactly one call; quota pauses the batch
 * and says why; every paid image is in the ledger once.
 */
describe("a provider answering with faults", () => {
  it("completes the batch, reports what cannot be retried per item, and pauses on exhausted quota", async () => {
    const started = Date.now();
    const stack = await startFaultStack({
      queueDriver: "embedded",
      leaseMs: 10_000,
      concurrency: 3,
      env: { OPENAI_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    });
    try {
      const { db, openai } = stack;
      // The seeded catalog's first such product is a photo the studio cannot cut the product out of
      // (its items fail before any provider call), so it is left out: every item here must reach the provider.
      const products = productsWithPhotos(stack.store, 10)
        .slice(1)
        .filter((p) => p.gid !== "gid://shopify/Product/8000000000210");
      const [blocked, invalid, revoked, limited, failing, hanging, ...plain] = products as [
        (typeof products)[number],
        ...(typeof products)[number][],
      ];
      const forProduct = (product: { title: string }) => (request: RecordedRequest) =>
        String(request.fields.prompt ?? "").includes(product.title);
      openai.answerWhen(forProduct(blocked!), scripted.moderationBlocked(["violence"], "prompt"));
      openai.answerWhen(forProduct(invalid!), {
        status: 400,
        body: { error: { message: "Invalid value: 'webp'. This account cannot use that output format.", type: "invalid_request_error", param: "output_format", code: "invalid_value" } },
      });
      openai.answerWhen(forProduct(revoked!), scripted.unauthorized());
      openai.answerWhen(
        forProduct(limited!),
        scripted.rateLimited({ retryAfterSeconds: 1 }),
        scripted.rateLimited({ retryAfterMs: 1_500 }),
        scripted.rateLimited({ retryAfterSeconds: 1 }),
      );
      openai.answerWhen(forProduct(failing!), scripted.serverError(500), scripted.serverError(503));
      openai.answerWhen(forProduct(hanging!), scripted.slow(SLOW_ANSWER_MS));
      // A burst of 429s for whichever calls come first.
      openai.enqueue(...Array.from({ length: 4 }, () => scripted.rateLimited({ retryAfterMs: 1_000 })));

      await stack.startWorker().ready();
      const batchId = await stack.launch(batchRequest(products, "packshot-white"));
      const batch = await batchIn(stack, batchId, ["completed", "paused", "failed"], 90_000);
      expect(batch.status, stack.logs().slice(-3000)).toBe("completed");

      const items = await db.batchItem.findMany({ where: { batchId } });
      const itemOf = (product: { gid: string }) => items.find((i) => i.productGid === product.gid)!;
      const calls = new Map<string, RecordedRequest[]>();
      for (const request of openai.requests) {
        const gid = productOf(request, products);
        calls.set(gid, [...(calls.get(gid) ?? []), request]);
      }
      const callsFor = (product: { gid: string }) => calls.get(product.gid) ?? [];

      // What no retry can change: one call each, the item settled with its reason.
      expect(itemOf(blocked!)).toMatchObject({ status: "blocked", errorKind: "moderation_blocked" });
      expect(itemOf(blocked!).errorMessage).toContain("safety system blocked this image (violence)");
      expect(itemOf(invalid!)).toMatchObject({ status: "failed", errorKind: "invalid_request" });
      expect(itemOf(invalid!).errorMessage).toContain("cannot use that output format");
      expect(itemOf(revoked!)).toMatchObject({ status: "failed", errorKind: "authentication" });
      expect(itemOf(revoked!).errorMessage).toContain("rejected the API key");
      expect(itemOf(revoked!).errorMessage).not.toContain("sk-");
      for (const product of [blocked!, invalid!, revoked!]) expect(callsFor(product), product.title).toHaveLength(1);

      // What retrying fixes: each of these succeeded once the faults ran out.
      for (const product of [limited!, failing!, hanging!, ...plain]) {
        expect(itemOf(product), product.title).toMatchObject({ status: "succeeded" });
      }
      expect(callsFor(limited!).length).toBeGreaterThanOrEqual(4);
      expect(callsFor(failing!).length).toBeGreaterThanOrEqual(3);
      expect(callsFor(hanging!).length).toBeGreaterThanOrEqual(2);
      // Retry-after is honoured: the next call for the product never comes sooner than the server asked.
      const limitedCalls = callsFor(limited!);
      const askedMs = [1_000, 1_500, 1_000];
      for (let i = 0; i < askedMs.length; i++) {
        expect(limitedCalls[i + 1]!.receivedAt - limitedCalls[i]!.receivedAt).toBeGreaterThanOrEqual(askedMs[i]! - 50);
      }
      const provoked429 = openai.requests.filter((r) => r.answer?.status === 429).length;
      expect(provoked429).toBeGreaterThanOrEqual(3);

      // Money: a ledger row for each succeeded item, none for the refused ones.
      const succeeded = items.filter((i) => i.status === "succeeded");
      const ledger = await db.costLedgerEntry.findMany({ where: { itemId: { in: items.map((i) => i.id) } } });
      expect(ledger.map((e) => e.itemId).sort()).toEqual(succeeded.map((i) => i.id).sort());

      // The merchant's batch page lists each refused item with its reason.
      const page = await stack.progress(batchId);
      const reasons = page.products.flatMap((p) => p.errors.map((e) => `${e.state} ${e.kind}: ${e.reason}`));
      expect(reasons).toHaveLength(3);
      expect(reasons.join("\n")).toMatch(/blocked moderation_blocked: .*safety system/);
      expect(reasons.join("\n")).toMatch(/failed invalid_request: .*output format/);
      expect(reasons.join("\n")).toMatch(/failed authentication: .*rejected the API key/);
      const firstBatchSeconds = (Date.now() - started) / 1000;

      // An account out of quota: the batch pauses and says why; nothing fails, nothing is charged.
      const requestsBefore = openai.requests.length;
      openai.enqueue(...Array.from({ length: 10 }, () => scripted.insufficientQuota()));
      const quotaBatchId = await stack.launch(batchRequest(plain, "packshot-white"));
      const paused = await batchIn(stack, quotaBatchId, ["paused", "completed", "failed"], 30_000);
      expect(paused).toMatchObject({ status: "paused", pausedReason: "quota" });
      // Calls already in flight when it paused get the same answer and hand their items back.
      const quotaItems = await waitFor(
        "the quota batch's calls in flight to settle",
        async () => {
          const rows = await db.batchItem.findMany({ where: { batchId: quotaBatchId } });
          return rows.some((i) => i.status === "running") ? undefined : rows;
        },
        30_000,
        stack.logs,
      );
      expect(quotaItems.filter((i) => i.status !== "queued").map((i) => i.status)).toEqual([]);
      expect(await db.costLedgerEntry.count({ where: { itemId: { in: quotaItems.map((i) => i.id) } } })).toBe(0);
      const quotaPage = await stack.progress(quotaBatchId);
      expect(quotaPage.pausedMessage).toMatch(/quota/i);
      expect(quotaPage.pausedMessage).toMatch(/resume/i);
      // Items that were already waiting may each have tried once; none is retried in a loop.
      const quotaCalls = openai.requests.length - requestsBefore;
      expect(quotaCalls).toBeLessThanOrEqual(plain.length);

      console.info(
        `[faults] provider faults: ${items.length} items (${succeeded.length} succeeded, 1 blocked, 2 failed), ` +
          `${requestsBefore} provider requests, ${provoked429} answered 429, batch done at ${firstBatchSeconds.toFixed(1)} s; ` +
          `quota batch paused after ${quotaCalls} calls; total ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await stack.close();
    }
  }, 240_000);
});
