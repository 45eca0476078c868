import type { JobQueue } from "~/queue/types";

/** What the merchant asked for, recorded on the experiment until its job ends. */
export type PendingAction = "start" | "apply";

/**
 * Every attempt writes its failure to the experiment, so an intent unchanged
 * for this long has no job working on it (its last worker died, say): the page
 * offers to ask again, which runs the finished job again under its fixed id.
 */
export const PENDING_STALE_MS = 10 * 60_000;

export function pendingStale(experiment: { pendingAction: string | null; updatedAt: Date }, now: Date): boolean {
  return experiment.pendingAction !== null && now.getTime() - experiment.updatedAt.getTime() > PENDING_STALE_MS;
}

/** Enough to ride out a throttle or slow image processing; the last attempt records the failure. */
export const EXPERIMENT_MAX_ATTEMPTS = 6;

/**
 * One job per experiment and action under a fixed id: enqueueing while one
 * waits or runs is a no-op; a finished one runs again (a start after a failed
 * start, a resume after a pause) and does nothing unless an intent is pending.
 */
export async function enqueuePending(queue: Pick<JobQueue, "enqueue">, action: PendingAction, shopId: string, experimentId: string): Promise<void> {
  const options = { maxAttempts: EXPERIMENT_MAX_ATTEMPTS, rerunFinished: true };
  if (action === "start") {
    await queue.enqueue({ name: "experiment-start", payload: { shopId, experimentId } }, { jobId: `experiment-start:${experimentId}`, ...options });
  } else {
    await queue.enqueue({ name: "experiment-apply-winner", payload: { shopId, experimentId } }, { jobId: `experiment-apply-winner:${experimentId}`, ...options });
  }
}
