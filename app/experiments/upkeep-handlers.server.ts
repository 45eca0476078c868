/**
 * The A/B upkeep jobs wired for the worker (registered with the scheduler
 * tick that enqueues them). Workers hold no merchant request: the stop reaches
 * Shopify through the shop's stored offline session.
 */
import type { Env } from "~/config/env.server";
import type { Db } from "~/db/client.server";
import { databaseKind } from "~/db/database-url";
import type { JobHandlers } from "~/queue/types";
import { createOfflineAdminFactory } from "~/shopify/offline-admin.server";
import { createStorage } from "~/storage/storage.server";
import { pruneExperimentEvents, stopAtMaxDays, type MaxDaysDeps, type PruneDeps } from "./upkeep.server";

export function experimentUpkeepHandlers(env: Env, db: Db): Pick<JobHandlers, "experiment-max-days" | "prune-experiment-events"> {
  const adminFor = createOfflineAdminFactory(env, db);
  const storage = createStorage(env);
  const now = () => new Date();
  const maxDays: MaxDaysDeps = {
    db,
    now,
    experimentDeps: async (shopDomain) => ({
      db,
      admin: await adminFor(shopDomain),
      storage,
      appUrl: env.SHOPIFY_APP_URL,
      now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    }),
  };
  const prune: PruneDeps = { db, dialect: databaseKind(env.DATABASE_URL), now };
  return {
    "experiment-max-days": async (payload) => void (await stopAtMaxDays(maxDays, payload)),
    "prune-experiment-events": async (payload) => void (await pruneExperimentEvents(prune, payload)),
  };
}
