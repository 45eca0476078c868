/**
 * Automation's job handlers wired from the environment, for the worker
 * process (registered by app/batches/handlers.server.ts).
 */
import type { PlanDeps } from "~/batches/create-batch.server";
import { accountLimits } from "~/batches/provider-pacing.server";
import type { ShopProviders } from "~/batches/shop-providers.server";
import { brandKitForShop, customPresets } from "~/batches/shop-settings.server";
import type { Env } from "~/config/env.server";
import type { Db } from "~/db/client.server";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import type { ProviderRegistry } from "~/providers/registry.server";
import type { JobHandlers, JobQueue } from "~/queue/types";
import { runNewProduct, runRefresh, runSchedulerTick, type AutomationJobDeps, type PublishBestInput } from "./jobs.server";
import { tickJobId, tickSlot } from "./schedule";

type AutomationJobs = "automation-new-product" | "automation-refresh" | "scheduler-tick";

export interface AutomationWiring {
  env: Env;
  db: Db;
  queue: Pick<JobQueue, "enqueue">;
  registry: Pick<ProviderRegistry, "create">;
  /** When given, a shop's own provider keys take the place of `registry`'s install keys when its launches are planned. */
  providersFor?: ShopProviders;
  publishBest?: (input: PublishBestInput) => Promise<void>;
  now?: () => Date;
}

export function automationJobDeps(wiring: AutomationWiring): AutomationJobDeps {
  const { env, db } = wiring;
  const now = wiring.now ?? (() => new Date());
  const limitsFor = accountLimits(env);
  const planDeps = async (shopId: string, providerId: string): Promise<PlanDeps> => {
    const imagesPerMinute = limitsFor(providerId)?.imagesPerMinute;
    return {
      db,
      registry: wiring.providersFor ? (await wiring.providersFor(shopId)).registry : wiring.registry,
      presets: [...PRESET_LIBRARY, ...(await customPresets(db, shopId))],
      now,
      concurrency: env.WORKER_CONCURRENCY,
      ...(imagesPerMinute !== undefined && { imagesPerMinute }),
    };
  };
  return {
    db,
    queue: wiring.queue,
    now,
    planDeps,
    photoRecheckMs: env.AUTOMATION_PHOTO_RECHECK_MS,
    photoChecks: env.AUTOMATION_PHOTO_CHECKS,
    followPollMs: Math.min(env.AUTOMATION_PHOTO_RECHECK_MS, 30_000),
    tickMs: env.SCHEDULER_TICK_MS,
    brandKitEnabled: async (shopId) => (await brandKitForShop(db, shopId)).enabled,
    ...(wiring.publishBest && { publishBest: wiring.publishBest }),
  };
}

export function createAutomationHandlers(deps: AutomationJobDeps): Pick<JobHandlers, AutomationJobs> {
  return {
    "automation-new-product": (payload) => runNewProduct(deps, payload),
    "automation-refresh": (payload) => runRefresh(deps, payload),
    "scheduler-tick": (payload) => runSchedulerTick(deps, payload),
  };
}

/**
 * Every worker starts the tick chain at start-up; while the slot's job waits,
 * the other workers' enqueues are no-ops, and each tick enqueues the next. A
 * tick that runs twice does no harm: each schedule slot is claimed once.
 */
export async function startSchedulerTicks(deps: Pick<AutomationJobDeps, "queue" | "now" | "tickMs">): Promise<void> {
  const slot = tickSlot(deps.now(), deps.tickMs);
  await deps.queue.enqueue(
    { name: "scheduler-tick", payload: { slot: slot.toISOString() } },
    { jobId: tickJobId(slot, deps.tickMs), maxAttempts: 3, rerunFinished: true },
  );
}
