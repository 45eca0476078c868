import type { JobQueue } from "~/queue/types";

/** Attempts per item for retryable failures; the last one marks the item failed with its reason. */
export const ITEM_MAX_ATTEMPTS = 5;

export function itemJobId(itemId: string): string {
  return `generate-item:${itemId}`;
}

const ENQUEUE_CONCURRENCY = 16;

/**
 * One job per item under a fixed id, so enqueueing an item twice is a no-op.
 * `rerun` runs again an item whose previous job already finished (resume, retry).
 */
export async function enqueueItems(queue: Pick<JobQueue, "enqueue">, itemIds: string[], rerun: boolean): Promise<void> {
  for (let start = 0; start < itemIds.length; start += ENQUEUE_CONCURRENCY) {
    await Promise.all(
      itemIds.slice(start, start + ENQUEUE_CONCURRENCY).map((itemId) =>
        queue.enqueue(
          { name: "generate-item", payload: { itemId } },
          { jobId: itemJobId(itemId), maxAttempts: ITEM_MAX_ATTEMPTS, rerunFinished: rerun },
        ),
      ),
    );
  }
}
