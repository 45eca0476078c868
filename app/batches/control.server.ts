/**
 * The merchant's controls over a running batch. Every one is scoped by shop:
 * a batch id from another shop changes nothing and reports "not found".
 */
import type { Db } from "~/db/client.server";
import type { JobQueue } from "~/queue/types";
import { enqueueItems } from "./enqueue.server";
import { pauseBatch, rollUpBatch } from "./rollup.server";
import { DEFAULT_ITEM_LEASE_MS } from "./run-item.server";

export interface ControlDeps {
  db: Db;
  queue: Pick<JobQueue, "enqueue">;
  now: () => Date;
}

export type ControlResult = { ok: true } | { ok: false; status: 404 | 409; message: string };

const NOT_FOUND: ControlResult = { ok: false, status: 404, message: "That batch does not exist." };

async function findBatch(db: Db, shopId: string, batchId: string) {
  return db.batch.findFirst({ where: { id: batchId, shopId }, select: { id: true, status: true } });
}

/** Queued items stay queued; their jobs see the paused batch and end without calling the provider. */
export async function pause(deps: ControlDeps, shopId: string, batchId: string): Promise<ControlResult> {
  const batch = await findBatch(deps.db, shopId, batchId);
  if (!batch) return NOT_FOUND;
  if (await pauseBatch(deps.db, batch.id, "merchant")) return { ok: true };
  return { ok: false, status: 409, message: `A ${batch.status} batch cannot be paused.` };
}

/** Re-enqueues the queued items: their earlier jobs ended when they found the batch paused. */
export async function resume(deps: ControlDeps, shopId: string, batchId: string): Promise<ControlResult> {
  const batch = await findBatch(deps.db, shopId, batchId);
  if (!batch) return NOT_FOUND;
  const { count } = await deps.db.batch.updateMany({
    where: { id: batch.id, status: "paused" },
    data: { status: "running", pausedReason: null },
  });
  if (count === 0) return { ok: false, status: 409, message: `A ${batch.status} batch cannot be resumed.` };
  await requeueQueued(deps, batch.id);
  return { ok: true };
}

/**
 * Stops new provider calls at once: queued items are canceled here, and a job
 * that starts later finds the batch canceled. Running items finish and are
 * recorded, since their call is already paid for.
 */
export async function cancel(deps: ControlDeps, shopId: string, batchId: string): Promise<ControlResult> {
  const batch = await findBatch(deps.db, shopId, batchId);
  if (!batch) return NOT_FOUND;
  const now = deps.now();
  const { count } = await deps.db.batch.updateMany({
    where: { id: batch.id, status: { in: ["queued", "running", "paused"] } },
    data: { status: "canceled", finishedAt: now },
  });
  if (count === 0) return { ok: false, status: 409, message: `A ${batch.status} batch cannot be canceled.` };
  await deps.db.batchItem.updateMany({ where: { batchId: batch.id, status: "queued" }, data: { status: "canceled", finishedAt: now } });
  return { ok: true };
}

/**
 * Failed items get a fresh set of job attempts; blocked ones stay blocked (the
 * same request would be blocked again). So do items left "running" by a
 * worker that died on its last attempt: the queue gives such a job up without
 * asking the item, so nothing else would ever settle them. The item's own
 * attempt count goes on from where it was: a paid call's ledger row is keyed
 * by its attempt number, so a number is never given out twice.
 */
export async function retryFailed(deps: ControlDeps, shopId: string, batchId: string): Promise<ControlResult> {
  const batch = await findBatch(deps.db, shopId, batchId);
  if (!batch) return NOT_FOUND;
  if (batch.status === "canceled") return { ok: false, status: 409, message: "A canceled batch cannot be retried." };
  const orphanedBefore = new Date(deps.now().getTime() - 2 * DEFAULT_ITEM_LEASE_MS);
  const { count } = await deps.db.batchItem.updateMany({
    where: { batchId: batch.id, OR: [{ status: "failed" }, { status: "running", updatedAt: { lt: orphanedBefore } }] },
    data: { status: "queued", errorKind: null, errorMessage: null, finishedAt: null, nextAttemptAt: null },
  });
  if (count === 0) return { ok: false, status: 409, message: "This batch has no failed images to retry." };
  await deps.db.batch.updateMany({ where: { id: batch.id, status: "completed" }, data: { status: "running", finishedAt: null } });
  // A paused batch keeps its retried items queued until it is resumed.
  if (batch.status !== "paused") await requeueQueued(deps, batch.id);
  return { ok: true };
}

async function requeueQueued(deps: ControlDeps, batchId: string) {
  const items = await deps.db.batchItem.findMany({ where: { batchId, status: "queued" }, select: { id: true } });
  await enqueueItems(deps.queue, items.map((i) => i.id), true);
  // Nothing was left to run (everything settled while paused): the batch is done.
  if (items.length === 0) await rollUpBatch(deps.db, batchId, deps.now());
}
