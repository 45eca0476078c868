/**
 * The publish domain's job handlers. Workers hold no merchant request, so
 * Shopify is reached through each shop's stored offline session.
 */
import type { Env } from "~/config/env.server";
import type { Db } from "~/db/client.server";
import { NonRetryableJobError, type JobContext, type JobHandlers } from "~/queue/types";
import { createOfflineAdminFactory, NoOfflineSessionError } from "~/shopify/offline-admin.server";
import { createStorage } from "~/storage/storage.server";
import { PUBLISH_MAX_ATTEMPTS } from "./jobs";
import { PublishRefusedError } from "./publication";
import { publishCandidate, undoPublication, type PublishDeps } from "./publish.server";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function publishDeps(env: Env, db: Db): PublishDeps {
  const adminFor = createOfflineAdminFactory(env, db);
  return {
    db,
    admin: async (shop) => {
      try {
        return await adminFor(shop);
      } catch (error) {
        if (error instanceof NoOfflineSessionError) throw new PublishRefusedError(error.message, "NO_ACCESS");
        throw error;
      }
    },
    storage: createStorage(env),
    now: () => new Date(),
    sleep,
  };
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
  return {
    "publish-candidate": (payload, context) => asJob(() => publishCandidate(deps, { ...payload, finalAttempt: finalAttempt(context) })),
    "undo-publication": (payload, context) => asJob(() => undoPublication(deps, { ...payload, finalAttempt: finalAttempt(context) })),
  };
}
