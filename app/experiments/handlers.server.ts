/**
 * The A/B test domain's job handlers. Workers hold no merchant request, so
 * Shopify is reached through each shop's stored offline session. Worker-only:
 * the offline Admin client installs @shopify/shopify-api's Node adapter, which
 * the app process (the Remix adapter's web Requests) must not load.
 */
import type { Env } from "~/config/env.server";
import type { Db } from "~/db/client.server";
import { sleepUntilAborted } from "~/publish/handlers.server";
import type { JobContext, JobHandlers } from "~/queue/types";
import { createOfflineAdminOrRefuse } from "~/shopify/offline-admin.server";
import { createStorage } from "~/storage/storage.server";
import { runPendingApply, runPendingStart, type ExperimentJobDeps } from "./experiment-jobs.server";
import { ExperimentError } from "./experiments.server";
import { EXPERIMENT_MAX_ATTEMPTS } from "./jobs";

export function experimentJobDeps(env: Env, db: Db): ExperimentJobDeps {
  return {
    db,
    admin: createOfflineAdminOrRefuse(env, db, (message) => new ExperimentError(409, message)),
    storage: createStorage(env),
    appUrl: env.SHOPIFY_APP_URL,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

export function experimentHandlers(deps: ExperimentJobDeps): Pick<JobHandlers, "experiment-start" | "experiment-apply-winner"> {
  // Waiting for Shopify ends early when the worker stops; the next delivery resumes (see the use cases).
  const within = (context: JobContext): ExperimentJobDeps => ({ ...deps, sleep: sleepUntilAborted(context.signal) });
  const finalAttempt = (context: JobContext) => context.attempt >= EXPERIMENT_MAX_ATTEMPTS;
  return {
    "experiment-start": (payload, context) => runPendingStart(within(context), { ...payload, finalAttempt: finalAttempt(context) }),
    "experiment-apply-winner": (payload, context) => runPendingApply(within(context), { ...payload, finalAttempt: finalAttempt(context) }),
  };
}
