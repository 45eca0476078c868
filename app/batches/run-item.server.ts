/**
 * The "generate-item" job: run one batch item exactly once.
 *
 * The queue may deliver a job twice (a lost lease, a re-enqueue, a retry after
 * a crash), so the item row, not the job, decides: a conditional claim lets
 * one delivery run it, and the result is stored in one transaction that only
 * the claimant can commit. Money is entered apart from the result: a provider
 * call is paid once it answers, so its ledger row is written then, before its
 * images are stored, and the ledger's unique (item, attempt) enters it once.
 */
import type { ProductFacts } from "~/catalog/types";
import type { Db, Prisma } from "~/db/client.server";
import { CandidateInputError } from "~/generation/candidate-errors";
import { ProviderError } from "~/generation/errors";
import type { AnsweredCall, GenerateCandidatesInput, GenerateCandidatesResult, GenerationOptions } from "~/generation/generate-candidates";
import { ImageInputError } from "~/images/errors";
import { NonRetryableJobError, RetryLaterError, type JobContext } from "~/queue/types";
import { ImageFetchError } from "~/shopify/image-fetch.server";
import { StorageError } from "~/storage/errors";
import { batchSpentMicros, shopBudget } from "./budget.server";
import { ITEM_MAX_ATTEMPTS } from "./enqueue.server";
import { pauseBatch, rollUpBatch } from "./rollup.server";

export interface RunItemDeps {
  db: Db;
  /** generateCandidates on the batch's provider and model, with the shop's presets, brand kit and storage. */
  generate(run: { shopId: string; providerId: string; model: string }, input: GenerateCandidatesInput): Promise<GenerateCandidatesResult>;
  productFacts(shopId: string, productGid: string): Promise<ProductFacts | null>;
  /** Opaque per-shop id for providers' abuse monitoring. */
  safetyIdentifier(shopId: string): string;
  now(): Date;
  /** How long a running item may go without a heartbeat before another delivery may take it over. */
  itemLeaseMs?: number;
}

export const DEFAULT_ITEM_LEASE_MS = 60_000;
/** When a 429 names no delay. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 30_000;
const FINAL_STATES = new Set(["succeeded", "failed", "blocked", "canceled"]);
const MAX_REASON_CHARS = 500;

type ItemRow = NonNullable<Awaited<ReturnType<typeof loadItem>>>;
type Tx = Prisma.TransactionClient;

function loadItem(db: Db, itemId: string) {
  return db.batchItem.findUnique({ where: { id: itemId }, include: { batch: true } });
}

export async function runItem(deps: RunItemDeps, payload: { itemId: string }, context: JobContext): Promise<void> {
  const { db } = deps;
  const item = await loadItem(db, payload.itemId);
  // Gone with its shop (uninstall, redact): nothing to do, and nothing to pay for.
  if (!item) return;
  if (FINAL_STATES.has(item.status)) {
    // Settled already. If this is a retry because the roll-up after the result failed, finish it here,
    // or the batch would stay "running" with nothing left to run.
    await untilNotBusy(() => rollUpBatch(db, item.batchId, deps.now()));
    return;
  }
  const { batch } = item;
  if (batch.status === "canceled") {
    await db.batchItem.updateMany({ where: { id: item.id, status: "queued" }, data: { status: "canceled", finishedAt: deps.now() } });
    return;
  }
  // Resume re-enqueues the paused batch's queued items.
  if (batch.status === "paused") return;

  const claimed = await claim(deps, item);
  if (claimed === null) return;
  if (claimed instanceof OverBudget) {
    await pauseBatch(db, batch.id, claimed.reason);
    return;
  }
  const attempt = claimed;
  await db.batch.updateMany({ where: { id: batch.id, status: "queued" }, data: { status: "running", startedAt: deps.now() } });

  const heartbeat = setInterval(
    () => {
      db.batchItem
        .updateMany({ where: { id: item.id, status: "running", attempts: attempt }, data: { updatedAt: deps.now() } })
        .catch(() => {
          // A missed beat only shortens the lease; the next one or the result write settles it.
        });
    },
    Math.max(100, Math.floor((deps.itemLeaseMs ?? DEFAULT_ITEM_LEASE_MS) / 3)),
  );
  let result: GenerateCandidatesResult;
  let answered = false;
  try {
    const product = await deps.productFacts(item.shopId, item.productGid);
    if (!product) {
      throw new CandidateInputError("This product is no longer in your store, or its details could not be read.");
    }
    result = await deps.generate(
      { shopId: item.shopId, providerId: batch.providerId, model: batch.model },
      {
        shopId: item.shopId,
        safetyIdentifier: deps.safetyIdentifier(item.shopId),
        product,
        presetId: item.presetId,
        candidateIndex: item.candidateIndex,
        candidatesPerProduct: batch.candidatesPerProduct,
        seed: item.seed,
        options: JSON.parse(batch.optionsJson) as GenerationOptions,
        itemId: item.id,
        signal: context.signal,
        onAnswer: async (call) => {
          answered = true;
          await recordPaidCall(deps, item, attempt, call);
        },
      },
    );
  } catch (error) {
    await settleFailure(deps, item, attempt, error, context, answered);
    return;
  } finally {
    clearInterval(heartbeat);
  }
  await recordSuccess(deps, item, attempt, result);
}

/** Thrown inside the claim's transaction to roll the claim back: the call would pass a budget. */
class OverBudget {
  constructor(readonly reason: "budget" | "batch-cap") {}
}

/**
 * Would this call pass the shop's month budget or the batch cap? Counts what
 * is spent and, as reserved, the estimates of the items running right now
 * whose calls have not answered yet: they are paid for once they do, so a
 * budget checked against the ledger alone lets every item in flight through
 * at once. An answered call is in the ledger and its item marked paid in one
 * commit, and running items are read before the ledger, so a call answering
 * in between is counted twice (erring on the side of pausing), never missed.
 */
async function overBudget(tx: Tx, item: ItemRow, now: Date): Promise<OverBudget | null> {
  const estimate = Number(item.estimatedCostMicros);
  const reserved = async (where: { shopId: string } | { batchId: string }) => {
    const running = await tx.batchItem.aggregate({
      where: { ...where, status: "running", paidAt: null, id: { not: item.id } },
      _sum: { estimatedCostMicros: true },
    });
    return Number(running._sum.estimatedCostMicros ?? 0n);
  };
  const shopReserved = await reserved({ shopId: item.shopId });
  const budget = await shopBudget(tx, item.shopId, now);
  if (shopReserved + estimate > budget.remainingMicros) return new OverBudget("budget");
  const cap = item.batch.budgetCapMicros;
  if (cap === null) return null;
  const batchReserved = await reserved({ batchId: item.batchId });
  if (batchReserved + (await batchSpentMicros(tx, item.batchId)) + estimate > Number(cap)) return new OverBudget("batch-cap");
  return null;
}

/**
 * Takes the item for this delivery; returns its attempt number (the claim
 * token later writes are conditioned on), null when it is settled already,
 * or OverBudget (nothing taken) when its call would pass a budget: then the
 * batch pauses rather than fails.
 *
 * A paid item is claimed in one transaction with the budget check, after
 * locking the shop's row, so concurrent claims of one shop's items (any
 * worker, any batch) see each other's reservations one after the other.
 */
async function claim(deps: RunItemDeps, item: ItemRow): Promise<number | OverBudget | null> {
  const { db } = deps;
  const now = deps.now();
  const leaseMs = deps.itemLeaseMs ?? DEFAULT_ITEM_LEASE_MS;
  const take = (tx: Tx) =>
    tx.batchItem.updateMany({
      where: {
        id: item.id,
        OR: [{ status: "queued" }, { status: "running", updatedAt: { lt: new Date(now.getTime() - leaseMs) } }],
      },
      data: { status: "running", attempts: { increment: 1 }, startedAt: now, updatedAt: now, nextAttemptAt: null, paidAt: null },
    });
  let count: number;
  if (Number(item.estimatedCostMicros) > 0) {
    try {
      ({ count } = await untilNotBusy(() =>
        db.$transaction(async (tx) => {
          // A write first: PostgreSQL locks the row; SQLite takes its one write lock for the transaction.
          await tx.$executeRaw`UPDATE "Shop" SET "id" = "id" WHERE "id" = ${item.shopId}`;
          const taken = await take(tx);
          const over = taken.count === 1 ? await overBudget(tx, item, now) : null;
          if (over) throw over;
          return taken;
        }),
      ));
    } catch (error) {
      if (error instanceof OverBudget) return error;
      throw error;
    }
  } else {
    ({ count } = await take(db));
  }
  const current = await db.batchItem.findUniqueOrThrow({ where: { id: item.id }, select: { status: true, attempts: true, updatedAt: true } });
  if (count === 1) return current.attempts;
  if (current.status === "running") {
    // Another delivery holds it and is alive; come back when its lease would have run out.
    const waitMs = Math.max(1_000, current.updatedAt.getTime() + leaseMs - now.getTime());
    throw new RetryLaterError(`item ${item.id} is being run by another worker`, waitMs);
  }
  return null;
}

/**
 * Enters an answered call in the ledger and adds it to the item's cost, in a
 * commit of its own made before any image is stored: a call whose images are
 * then lost (a full disk, a worker killed mid-store) was still paid for. It
 * is entered even when this delivery's claim was taken over, as the provider
 * charged for it all the same. Run again for the same attempt (a write
 * retried after a dropped connection), it finds its row and adds nothing.
 */
async function recordPaidCall(deps: RunItemDeps, item: ItemRow, attempt: number, call: AnsweredCall): Promise<void> {
  if (call.costMicros <= 0) return;
  const { db } = deps;
  const now = deps.now();
  const amountMicros = BigInt(call.costMicros);
  await untilNotBusy(() =>
    db.$transaction(async (tx) => {
      const entered = await tx.costLedgerEntry.findUnique({ where: { itemId_attempt: { itemId: item.id, attempt } }, select: { id: true } });
      if (entered) return;
      // Increment leaves a NULL cost NULL, so the first paid call sets it.
      const { count: first } = await tx.batchItem.updateMany({ where: { id: item.id, costMicros: null }, data: { costMicros: amountMicros } });
      const { count: more } = first === 0 ? await tx.batchItem.updateMany({ where: { id: item.id }, data: { costMicros: { increment: amountMicros } } }) : { count: 0 };
      // Gone with its shop (uninstall, redact): the shop's ledger went with it.
      if (first + more === 0) return;
      await tx.batchItem.updateMany({ where: { id: item.id, status: "running", attempts: attempt }, data: { paidAt: now } });
      await tx.costLedgerEntry.create({
        data: { shopId: item.shopId, itemId: item.id, attempt, providerId: call.providerId, model: call.model, amountMicros },
      });
    }),
  );
}

async function recordSuccess(deps: RunItemDeps, item: ItemRow, attempt: number, result: GenerateCandidatesResult) {
  const { db } = deps;
  const now = deps.now();
  const committed = await untilNotBusy(() => db.$transaction(async (tx) => {
    // The item's cost is in already: recordPaidCall added it when the provider answered.
    const { count } = await tx.batchItem.updateMany({
      where: { id: item.id, status: "running", attempts: attempt },
      data: { status: "succeeded", finishedAt: now, errorKind: null, errorMessage: null },
    });
    // Our claim was taken over (we were presumed dead); the other delivery's result is the one kept.
    if (count === 0) return false;
    await tx.candidate.createMany({
      data: result.candidates.map((c) => ({
        shopId: item.shopId,
        itemId: item.id,
        ordinal: c.ordinal,
        productGid: item.productGid,
        presetId: item.presetId,
        providerId: result.providerId,
        model: result.model,
        seed: item.seed,
        storageKey: c.storageKey,
        thumbSmallKey: c.thumbSmallKey,
        thumbLargeKey: c.thumbLargeKey,
        format: c.format,
        width: c.width,
        height: c.height,
        bytes: c.bytes,
        perceptualHash: c.perceptualHash,
        fidelityScore: c.fidelityScore,
        fidelityFlagged: c.fidelityFlagged,
        promptHash: c.promptHash,
        altText: c.altText,
        // The call's cost is carried by the first image so candidate costs add up to the ledger rows of kept images.
        costMicros: BigInt(c.ordinal === result.candidates[0]?.ordinal ? result.costMicros : 0),
      })),
    });
    return true;
  }));
  if (committed) await untilNotBusy(() => rollUpBatch(db, item.batchId, now));
}

const BUSY_TRIES = 30;
/** How long a paid result waits for a database that went away (a restart, a failover) before giving up. */
const RECORD_OUTAGE_MS = 120_000;

function isBusy(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === "P1008" || /SQLITE_BUSY|database is locked/.test(message ?? "");
}

/** The database could not be reached or dropped the connection: nothing was written. */
function isUnreachable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|P1001|P1002|P1017|57P01|57P02|57P03|08000|08001|08003|08006)$/.test(e.code)) return true;
    if (typeof e.message === "string" && /ECONNREFUSED|ECONNRESET|Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery mode)|Can't reach database server|Server has closed the connection/i.test(e.message)) return true;
  }
  return false;
}

/**
 * The call is paid for by now, so recording it must not fail on SQLite's
 * write contention between processes (BUSY) or on a database that is
 * restarting: a job retried over it would find the item still running and,
 * once its lease ran out, pay a second time. The transaction rolls back whole
 * on either, so running it again is safe.
 */
async function untilNotBusy<T>(write: () => Promise<T>): Promise<T> {
  const outageDeadline = Date.now() + RECORD_OUTAGE_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (isUnreachable(error) && Date.now() < outageDeadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (!isBusy(error) || attempt >= BUSY_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 25 * attempt));
    }
  }
}

function reasonFor(error: unknown): { kind: string; message: string } {
  if (error instanceof ProviderError) {
    const detail = error.message.slice(0, MAX_REASON_CHARS);
    switch (error.kind) {
      case "rate_limited":
        return { kind: error.kind, message: "The image provider is at its rate limit; this image waits its turn." };
      case "moderation_blocked": {
        const categories = error.moderation?.categories ?? [];
        const which = categories.length > 0 ? ` (${categories.join(", ")})` : "";
        return { kind: error.kind, message: `The image provider's safety system blocked this image${which}.` };
      }
      case "invalid_request":
        return { kind: error.kind, message: `The image provider refused the request: ${detail}` };
      case "authentication":
        // The provider's text may quote part of the key; the merchant only needs to know who can fix it.
        return {
          kind: error.kind,
          message: "The image provider rejected the API key. If your shop saved its own key on the Settings page, check it there; otherwise the app's operator has to renew the API key.",
        };
      case "quota_exhausted":
        return { kind: error.kind, message: `The image provider account has run out of credit or quota: ${detail}` };
      case "timeout":
        return { kind: error.kind, message: "The image provider took too long to answer." };
      case "transient":
        return { kind: error.kind, message: `The image provider had a temporary problem: ${detail}` };
    }
  }
  if (error instanceof CandidateInputError) return { kind: "input", message: error.message.slice(0, MAX_REASON_CHARS) };
  if (error instanceof ImageFetchError) return { kind: "photo", message: error.message.slice(0, MAX_REASON_CHARS) };
  if (error instanceof ImageInputError) {
    return { kind: "photo", message: `The product photo can't be used: ${error.message}`.slice(0, MAX_REASON_CHARS) };
  }
  if (error instanceof StorageError) return { kind: "storage", message: `Saving the image failed: ${error.message.slice(0, MAX_REASON_CHARS)}` };
  return { kind: "internal", message: "Something went wrong on our side while making this image." };
}

function permanent(error: unknown): boolean {
  if (error instanceof ProviderError) return !error.retryable;
  if (error instanceof StorageError || error instanceof ImageFetchError) return !error.retryable;
  // The same photo bytes fail the same way every time.
  return error instanceof CandidateInputError || error instanceof ImageInputError;
}

/** `answered`: the provider answered this attempt's call, so it is paid and in the ledger under this attempt's number. */
async function settleFailure(deps: RunItemDeps, item: ItemRow, attempt: number, error: unknown, context: JobContext, answered: boolean): Promise<void> {
  const { db } = deps;
  const now = deps.now();
  const mine = { id: item.id, status: "running", attempts: attempt };
  const { kind, message } = reasonFor(error);
  const requeue = (data: { attempts?: { decrement: number }; nextAttemptAt?: Date }) =>
    db.batchItem.updateMany({ where: mine, data: { status: "queued", errorKind: kind, errorMessage: message, ...data } });
  const settle = async (status: "failed" | "blocked") => {
    await db.batchItem.updateMany({ where: mine, data: { status, errorKind: kind, errorMessage: message, finishedAt: now } });
    await rollUpBatch(db, item.batchId, now);
  };

  if (context.signal.aborted) {
    // Shutdown or a lost lease, not a failure of the item: hand it back untouched by this attempt,
    // unless its call was paid: that attempt's number names its ledger row and is not given out again.
    await requeue(answered ? {} : { attempts: { decrement: 1 } });
    throw error;
  }
  if (error instanceof ProviderError && error.kind === "rate_limited") {
    const waitMs = error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
    await requeue({ attempts: { decrement: 1 }, nextAttemptAt: new Date(now.getTime() + waitMs) });
    throw new RetryLaterError(message, waitMs);
  }
  if (error instanceof ProviderError && error.kind === "quota_exhausted") {
    // Every other item would hit the same wall: stop the batch until the merchant resumes it.
    await requeue({ attempts: { decrement: 1 } });
    await pauseBatch(db, item.batchId, "quota");
    return;
  }
  if (error instanceof ProviderError && error.kind === "moderation_blocked") {
    await settle("blocked");
    return;
  }
  if (permanent(error) || context.attempt >= ITEM_MAX_ATTEMPTS) {
    await settle("failed");
    throw new NonRetryableJobError(message);
  }
  await requeue({});
  throw error;
}
