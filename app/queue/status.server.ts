import type { Db } from "~/db/client.server";
import { createQueue, type QueueEnv } from "./engine.server";

/** What an operator needs at a glance: depth, in flight, the oldest wait, and what failed lately. */
export async function queueStatusReport(env: QueueEnv, db: Db): Promise<string> {
  const queue = createQueue(env, db);
  try {
    const stats = await queue.stats();
    const items = await db.batchItem.groupBy({ by: ["status"], _count: { _all: true } });
    const age = stats.oldestWaitingAgeMs === null ? "none waiting" : `${Math.round(stats.oldestWaitingAgeMs / 1000)} s`;
    const lines = [
      `engine:            ${env.QUEUE_DRIVER}`,
      `waiting:           ${stats.waiting}`,
      `delayed:           ${stats.delayed}`,
      `in flight:         ${stats.active}`,
      `failed:            ${stats.failed}`,
      `oldest waiting:    ${age}`,
      `batch items:       ${items.map((i) => `${i.status} ${i._count._all}`).join(", ") || "none"}`,
      `recent failures:`,
      ...(stats.recentFailures.length
        ? stats.recentFailures.map((f) => `  ${f.at.toISOString()}  ${f.jobId}  ${f.error}`)
        : ["  none"]),
    ];
    return lines.join("\n");
  } finally {
    await queue.close();
  }
}
