/**
 * The publish domain's job handlers. Workers hold no merchant request, so
 * Shopify is reached through each shop's stored offline session.
 */
import type { Env } from "~/config/env.server";
import type { Db } from "~/db/client.server";
import { NonRetryableJobError, type JobContext, type JobHandlers } from "~/queue/types";
import { createOfflineAdminOrRefuse } from "~/shopify/offline-admin.server";
import { createStorage } from "~/storage/storage.server";
import { PUBLISH_MAX_ATTEMPTS } from "./jobs";
import { PublishRefusedError } from "./publication";
import { publishCandidate, undoPublication, type PublishDeps } from "./publish.server";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function publishDeps(env: Env, db: Db): PublishDeps {
  return {
    db,
    admin: createOfflineAdminOrRefuse(env, db, (message) => new PublishRefusedError(message, "NO_ACCESS")),
    storage: createStorage(env),
    now: () => new Date(),
    sleep,
  };
}

/**
 * Waiting for Shopify (processing, reorder jobs, the throttle) ends early when
 * the worker stops, so the job is handed back instead of holding shutdown up;
 * the next delivery resumes from the recorded step.
 */
export function sleepUntilAborted(signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new Error("The worker is stopping"));
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", stop);
        resolve();
      }, ms);
      const stop = () => {
        clearTimeout(timer);
        reject(new Error("The worker is stopping"));
      };
      signal.addEventListener("abort", stop, { once: true });
    });
}

/** The queue fails refused work at once; the reason is already on the publication. */
async function asJob<T>(run: () => Promise<T>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof PublishRefusedError) throw new NonRetryableJobError(error.message);
    throw error;
  }
}

export function publishHandlers(deps: PublishDeps): Pick<JobHandlers, "publish-candidate" | "undo-publication"> {
  const finalAttempt = (context: JobContext) => context.attempt >= PUBLISH_MAX_ATTEMPTS;
  const within = (context: JobContext): PublishDeps => ({ ...deps, sleep: sleepUntilAborted(context.signal) });
  return {
    "publish-candidate": (payload, context) => asJob(() => publishCandidate(within(context), { ...payload, finalAttempt: finalAttempt(context) })),
    "undo-publication": (payload, context) => asJob(() => undoPublication(within(context), { ...payload, finalAttempt: finalAttempt(context) })),
  };
}
