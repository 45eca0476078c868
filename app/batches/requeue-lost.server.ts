/**
 * Jobs live in Redis with BullMQ, items in the database. A Redis that
 * restarts without persistence (or is flushed, or fails over to a replica
 * that had not caught up) forgets jobs whose items are still open, and those
 * items would wait forever. Workers therefore put the jobs of long-untouched
 * open items of active batches back: enqueueing under the item's fixed job id
 * is a no-op while its job exists, and running an item twice is safe because
 * the item row, not the job, decides (see run-item.server.ts).
 */
import type { Db } from "~/db/client.server";
import type { JobQueue } from "~/queue/types";
import { enqueueItems } from "./enqueue.server";

export interface RequeueLostDeps {
  db: Db;
  queue: Pick<JobQueue, "enqueue">;
  now(): Date;
  /** Items untouched for longer than this are looked at: queued ones, and running ones whose heartbeat stopped. */
  staleMs: number;
  /** At most this many per pass, oldest first. */
  limit?: number;
}

export async function requeueLostItems(deps: RequeueLostDeps): Promise<number> {
  const staleBefore = new Date(deps.now().getTime() - deps.staleMs);
  const items = await deps.db.batchItem.findMany({
    where: {
      status: { in: ["queued", "running"] },
      updatedAt: { lt: staleBefore },
      OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lt: staleBefore } }],
      batch: { status: { in: ["queued", "running"] } },
    },
    orderBy: { updatedAt: "asc" },
    take: deps.limit ?? 500,
    select: { id: true },
  });
  // rerun: a job the engine gave up on (e.g. too many stalls) while its item stayed open runs again.
  await enqueueItems(deps.queue, items.map((item) => item.id), true);
  return items.length;
}

/** Runs requeueLostItems every `intervalMs` for as long as the process lives. */
export function startRequeueingLostItems(deps: RequeueLostDeps, intervalMs: number): void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    requeueLostItems(deps)
      .catch((error: unknown) => console.error("[batches] requeueing lost items:", error))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
}
