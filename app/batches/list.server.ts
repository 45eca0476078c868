import type { Db } from "~/db/client.server";

export interface BatchSummary {
  id: string;
  status: string;
  providerId: string;
  model: string;
  createdAt: string;
  total: number;
  settled: number;
  failed: number;
  estimatedMicros: number;
}

/** The shop's most recent batches, newest first. */
export async function listBatches(db: Db, shopId: string, limit = 50): Promise<BatchSummary[]> {
  const batches = await db.batch.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take: limit });
  if (batches.length === 0) return [];
  const counts = await db.batchItem.groupBy({
    by: ["batchId", "status"],
    where: { shopId, batchId: { in: batches.map((b) => b.id) } },
    _count: { _all: true },
  });
  return batches.map((batch) => {
    const mine = counts.filter((c) => c.batchId === batch.id);
    const count = (states: string[]) => mine.filter((c) => states.includes(c.status)).reduce((sum, c) => sum + c._count._all, 0);
    return {
      id: batch.id,
      status: batch.status,
      providerId: batch.providerId,
      model: batch.model,
      createdAt: batch.createdAt.toISOString(),
      total: count(["queued", "running", "succeeded", "failed", "blocked", "canceled"]),
      settled: count(["succeeded", "failed", "blocked", "canceled"]),
      failed: count(["failed", "blocked"]),
      estimatedMicros: Number(batch.estimatedCostMicros),
    };
  });
}
