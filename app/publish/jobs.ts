import type { JobQueue } from "~/queue/types";

/** Enough to ride out a throttle or a slow processing run; the last attempt records the failure. */
export const PUBLISH_MAX_ATTEMPTS = 6;

/**
 * One job per candidate under a fixed id: enqueueing while one waits or runs
 * is a no-op, and a finished one (failed, or published then undone) runs again.
 */
export async function enqueuePublish(queue: Pick<JobQueue, "enqueue">, shopId: string, candidateId: string): Promise<void> {
  await queue.enqueue(
    { name: "publish-candidate", payload: { shopId, candidateId } },
    { jobId: `publish-candidate:${candidateId}`, maxAttempts: PUBLISH_MAX_ATTEMPTS, rerunFinished: true },
  );
}

export async function enqueueUndo(queue: Pick<JobQueue, "enqueue">, shopId: string, candidateId: string): Promise<void> {
  await queue.enqueue(
    { name: "undo-publication", payload: { shopId, candidateId } },
    { jobId: `undo-publication:${candidateId}`, maxAttempts: PUBLISH_MAX_ATTEMPTS, rerunFinished: true },
  );
}
