/**
 * Scheduled A/B upkeep, started by the scheduler tick in the worker:
 *
 * - experiment-max-days: a running test that has run the shop's longest test
 *   duration (Settings → A/B, counted from its start) is stopped the way the
 *   Stop button stops it; one job id per experiment.
 * - prune-experiment-events: a shop's raw pixel events older than its
 *   retention period (Settings → Privacy) are deleted in bounded statements;
 *   one job id per shop. Visitors and daily aggregates stay: the results page
 *   reads only those (results.server.ts), so its numbers do not change.
 */
import type { Db } from "~/db/client.server";
import type { DatabaseKind } from "~/db/database-url";
import { timestamp } from "~/queue/raw-sql.server";
import type { JobQueue } from "~/queue/types";
import { readShopSettings } from "~/settings/shop-settings";
import { ExperimentError, stopExperiment, type ExperimentDeps } from "./experiments.server";

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Rows per DELETE: each statement is its own short transaction, so the pixel loader's writes wait milliseconds, not minutes. */
export const EVENT_PRUNE_BATCH = 5_000;
export const MAX_DAYS_STOP_REASON = "max_days";

export const maxDaysJobId = (experimentId: string) => `experiment-max-days:${experimentId}`;
export const pruneEventsJobId = (shopId: string) => `prune-experiment-events:${shopId}`;

export function reachedMaxDays(startedAt: Date, maxDays: number, now: Date): boolean {
  return now.getTime() - startedAt.getTime() >= maxDays * DAY_MS;
}

export interface UpkeepEnqueueDeps {
  db: Db;
  queue: Pick<JobQueue, "enqueue">;
  now(): Date;
}

/**
 * Run by every scheduler tick, covering [from, to). Expired tests are looked
 * for each tick (one small query); events are pruned when the window crosses
 * an hour, since retention is counted in days. A job already waiting makes
 * the enqueue a no-op; a finished one runs again, so a stop that failed or
 * found the test busy is retried on a later tick.
 */
export async function enqueueExperimentUpkeep(deps: UpkeepEnqueueDeps, window: { from: Date; to: Date }): Promise<void> {
  const now = deps.now();
  const running = await deps.db.experiment.findMany({
    where: { status: "running", startedAt: { not: null }, shop: { uninstalledAt: null } },
    select: { id: true, shopId: true, startedAt: true, shop: { select: { settingsJson: true } } },
  });
  for (const experiment of running) {
    if (!reachedMaxDays(experiment.startedAt!, readShopSettings(experiment.shop.settingsJson).ab.maxDays, now)) continue;
    await deps.queue.enqueue(
      { name: "experiment-max-days", payload: { shopId: experiment.shopId, experimentId: experiment.id } },
      { jobId: maxDaysJobId(experiment.id), maxAttempts: 3, rerunFinished: true },
    );
  }
  if (Math.floor(window.from.getTime() / HOUR_MS) === Math.floor(window.to.getTime() / HOUR_MS)) return;
  const shops = await deps.db.experiment.findMany({ distinct: ["shopId"], select: { shopId: true } });
  for (const { shopId } of shops) {
    await deps.queue.enqueue({ name: "prune-experiment-events", payload: { shopId } }, { jobId: pruneEventsJobId(shopId), maxAttempts: 3, rerunFinished: true });
  }
}

export interface MaxDaysDeps {
  db: Db;
  now(): Date;
  /** The stop use case's dependencies for a shop, with an Admin client from its offline session. */
  experimentDeps(shopDomain: string): Promise<ExperimentDeps>;
}

/**
 * Stops the test if it is still running past the shop's limit when the job
 * runs (the merchant may have stopped it, or raised the limit, meanwhile).
 * Returns whether this call stopped it.
 */
export async function stopAtMaxDays(deps: MaxDaysDeps, payload: { shopId: string; experimentId: string }): Promise<boolean> {
  const { shopId, experimentId } = payload;
  const experiment = await deps.db.experiment.findFirst({
    where: { id: experimentId, shopId },
    select: { status: true, startedAt: true, shop: { select: { domain: true, settingsJson: true, uninstalledAt: true } } },
  });
  if (!experiment || experiment.status !== "running" || !experiment.startedAt || experiment.shop.uninstalledAt) return false;
  if (!reachedMaxDays(experiment.startedAt, readShopSettings(experiment.shop.settingsJson).ab.maxDays, deps.now())) return false;
  try {
    await stopExperiment(await deps.experimentDeps(experiment.shop.domain), shopId, experimentId);
  } catch (error) {
    // Stopped by the merchant in between, or a start/apply job owns it now: a later tick looks again.
    if (error instanceof ExperimentError && error.status === 409) return false;
    throw error;
  }
  await deps.db.experiment.update({ where: { id: experimentId }, data: { stopReason: MAX_DAYS_STOP_REASON } });
  return true;
}

export interface PruneDeps {
  db: Db;
  dialect: DatabaseKind;
  now(): Date;
  batchSize?: number;
}

/** Deletes the shop's raw events received before its retention period; returns how many. */
export async function pruneExperimentEvents(deps: PruneDeps, payload: { shopId: string }): Promise<number> {
  const { shopId } = payload;
  const shop = await deps.db.shop.findUnique({ where: { id: shopId }, select: { settingsJson: true } });
  if (!shop) return 0;
  const cutoff = timestamp(deps.dialect, new Date(deps.now().getTime() - readShopSettings(shop.settingsJson).privacy.eventRetentionDays * DAY_MS));
  const batch = deps.batchSize ?? EVENT_PRUNE_BATCH;
  const experiments = await deps.db.experiment.findMany({ where: { shopId }, select: { id: true } });
  let deleted = 0;
  // Per experiment, so each statement walks the (shopId, experimentId, receivedAt) index.
  for (const { id } of experiments) {
    for (;;) {
      const count = await deps.db.$executeRaw`
        DELETE FROM "ExperimentEvent" WHERE "id" IN (
          SELECT "id" FROM "ExperimentEvent"
           WHERE "shopId" = ${shopId} AND "experimentId" = ${id} AND "receivedAt" < ${cutoff}
           LIMIT ${batch})`;
      deleted += count;
      if (count < batch) break;
    }
  }
  return deleted;
}
