/**
 * The jobs webhooks start, wired for the worker process: automation (new
 * products, refreshes, the scheduler tick and the A/B upkeep it enqueues) and
 * shop erasure.
 */
import { automationJobDeps, createAutomationHandlers, startSchedulerTicks } from "~/automation/handlers.server";
import type { PublishBestInput } from "~/automation/jobs.server";
import type { Env } from "~/config/env.server";
import type { Db } from "~/db/client.server";
import { experimentUpkeepHandlers } from "~/experiments/upkeep-handlers.server";
import type { ShopProviders } from "~/batches/shop-providers.server";
import type { ProviderRegistry } from "~/providers/registry.server";
import type { JobHandlers, JobQueue } from "~/queue/types";
import { redactShop } from "~/shops/uninstall.server";
import type { ObjectStorage } from "~/storage/types";

export interface WebhookJobWiring {
  env: Env;
  db: Db;
  queue: Pick<JobQueue, "enqueue">;
  registry: Pick<ProviderRegistry, "create">;
  providersFor?: ShopProviders;
  storage: Pick<ObjectStorage, "deletePrefix">;
  publishBest?: (input: PublishBestInput) => Promise<void>;
}

type WebhookJobs = "automation-new-product" | "automation-refresh" | "scheduler-tick" | "erase-shop" | "experiment-max-days" | "prune-experiment-events";

export async function createWebhookJobHandlers(wiring: WebhookJobWiring): Promise<Pick<JobHandlers, WebhookJobs>> {
  const deps = automationJobDeps(wiring);
  await startSchedulerTicks(deps);
  return {
    ...createAutomationHandlers(deps),
    ...experimentUpkeepHandlers(wiring.env, wiring.db),
    "erase-shop": async ({ shopDomain }) => void (await redactShop({ db: wiring.db, storage: wiring.storage }, shopDomain)),
  };
}
