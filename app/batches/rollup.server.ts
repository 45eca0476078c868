import type { Db } from "~/db/client.server";

export const OPEN_ITEM_STATES = ["queued", "running"] as const;

/** A running batch with nothing left queued or running is completed; paused and canceled batches keep their state. */
export async function rollUpBatch(db: Db, batchId: string, now: Date): Promise<void> {
  const open = await db.batchItem.count({ where: { batchId, status: { in: [...OPEN_ITEM_STATES] } } });
  if (open > 0) return;
  await db.batch.updateMany({
    where: { id: batchId, status: { in: ["queued", "running"] } },
    data: { status: "completed", finishedAt: now },
  });
}

export type PauseReason = "merchant" | "budget" | "batch-cap" | "quota";

export async function pauseBatch(db: Db, batchId: string, reason: PauseReason): Promise<boolean> {
  const { count } = await db.batch.updateMany({
    where: { id: batchId, status: { in: ["queued", "running"] } },
    data: { status: "paused", pausedReason: reason },
  });
  return count === 1;
}
