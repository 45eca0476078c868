/**
 * Start and apply-winner as the merchant asks for them and as the worker runs
 * them. The request checks what it can without Shopify and records the
 * intent on the experiment (pendingAction), so the page shows it at once; the
 * job runs the use case and clears the intent when it succeeds. A refusal
 * (Shopify's userErrors, a state that no longer allows it) or the last attempt
 * clears it with the reason in lastError, leaving the experiment as it was;
 * anything else is thrown for the queue to retry with its backoff.
 */
import type { Db } from "~/db/client.server";
import { NonRetryableJobError, type JobQueue } from "~/queue/types";
import { getShopSettings } from "~/settings/settings.server";
import { AdminApiError, type AdminGraphql } from "~/shopify/admin-graphql.server";
import { ShopifyMediaError } from "~/shopify/media.server";
import {
  applyWinner,
  ExperimentError,
  requireExperiment,
  requirePixelAllowed,
  requireWinnerApplicable,
  startExperiment,
  type ExperimentDeps,
} from "./experiments.server";
import { enqueuePending, type PendingAction } from "./jobs";

/** What a job needs: the use cases' deps, with an Admin client per shop (the worker holds no request). */
export interface ExperimentJobDeps extends Omit<ExperimentDeps, "admin"> {
  /** Throws ExperimentError when the app has no access to the shop (retrying cannot help). */
  admin(shopDomain: string): Promise<AdminGraphql>;
}

export interface RequestDeps {
  db: Db;
  queue: Pick<JobQueue, "enqueue">;
}

const MAX_REASON_CHARS = 500;

/**
 * Records a start (or a resume) and enqueues its job. Asking again while it
 * is pending records nothing new and enqueues again: a no-op under the job's
 * fixed id, unless the job was lost.
 */
export async function requestStart(deps: RequestDeps, shopId: string, id: string): Promise<void> {
  await recordStart(deps.db, shopId, id);
  await enqueueOrRelease(deps, "start", shopId, id);
}

/** Records which arm wins (and whether the losers' Files go) and enqueues the apply job. */
export async function requestApplyWinner(deps: RequestDeps, shopId: string, id: string, armKey: string, options: { deleteLosers: boolean }): Promise<void> {
  await recordApply(deps.db, shopId, id, armKey, options);
  await enqueueOrRelease(deps, "apply", shopId, id);
}

/** An intent no job will run would hold the page at "Starting…" for good: it is released instead. */
async function enqueueOrRelease(deps: RequestDeps, action: PendingAction, shopId: string, id: string): Promise<void> {
  try {
    await enqueuePending(deps.queue, action, shopId, id);
  } catch (error) {
    await deps.db.experiment.updateMany({ where: { id, shopId, pendingAction: action }, data: { pendingAction: null, pendingArmKey: null, pendingDeleteLosers: false } });
    throw error;
  }
}

async function recordStart(db: Db, shopId: string, id: string): Promise<void> {
  const experiment = await requireExperiment(db, shopId, id);
  if (experiment.pendingAction === "start") return;
  if (experiment.pendingAction === "apply") throw new ExperimentError(409, "The winner is being applied.");
  if (experiment.status !== "draft" && experiment.status !== "paused") throw new ExperimentError(409, `A ${experiment.status} experiment cannot start.`);
  requirePixelAllowed(await getShopSettings(db, shopId));
  const rival = await db.experiment.findFirst({
    where: { shopId, productGid: experiment.productGid, id: { not: id }, OR: [{ liveProductKey: { not: null } }, { pendingAction: "start" }] },
    select: { id: true },
  });
  if (rival) throw new ExperimentError(409, "Another experiment is already running on this product.");
  return claim(db, shopId, id, "start", { status: { in: ["draft", "paused"] } }, {});
}

async function recordApply(db: Db, shopId: string, id: string, armKey: string, options: { deleteLosers: boolean }): Promise<void> {
  const experiment = await requireExperiment(db, shopId, id);
  if (experiment.pendingAction === "apply") {
    if (experiment.pendingArmKey === armKey) return;
    throw new ExperimentError(409, `Variant ${experiment.pendingArmKey?.toUpperCase()} is already being applied.`);
  }
  if (experiment.pendingAction === "start") throw new ExperimentError(409, "The test is starting; apply a winner once it has.");
  requireWinnerApplicable(experiment, experiment.arms.find((a) => a.key === armKey));
  return claim(db, shopId, id, "apply", { status: { notIn: ["draft", "winner_applied"] } }, { pendingArmKey: armKey, pendingDeleteLosers: options.deleteLosers });
}

/** Only one request wins the experiment; a concurrent identical one rides along on its job. */
async function claim(
  db: Db,
  shopId: string,
  id: string,
  action: PendingAction,
  state: { status: { in: string[] } | { notIn: string[] } },
  details: { pendingArmKey?: string; pendingDeleteLosers?: boolean },
): Promise<void> {
  const { count } = await db.experiment.updateMany({ where: { id, shopId, pendingAction: null, ...state }, data: { pendingAction: action, lastError: null, ...details } });
  if (count === 1) return;
  const now = await requireExperiment(db, shopId, id);
  if (now.pendingAction === action && (action === "start" || now.pendingArmKey === details.pendingArmKey)) return;
  throw new ExperimentError(409, "The test changed meanwhile; reload the page.");
}

/** The experiment-start job: a delivery after the start succeeded (or was given up) does nothing. */
export async function runPendingStart(deps: ExperimentJobDeps, input: { shopId: string; experimentId: string; finalAttempt: boolean }): Promise<void> {
  const experiment = await deps.db.experiment.findFirst({ where: { id: input.experimentId, shopId: input.shopId } });
  if (experiment?.pendingAction !== "start") return;
  await asPendingJob(deps.db, experiment.id, "start", input.finalAttempt, async () => {
    await startExperiment({ ...deps, admin: await adminOf(deps, input.shopId) }, input.shopId, experiment.id);
  });
}

/** The experiment-apply-winner job, for the arm recorded with the request. */
export async function runPendingApply(deps: ExperimentJobDeps, input: { shopId: string; experimentId: string; finalAttempt: boolean }): Promise<void> {
  const experiment = await deps.db.experiment.findFirst({ where: { id: input.experimentId, shopId: input.shopId } });
  if (experiment?.pendingAction !== "apply" || !experiment.pendingArmKey) return;
  const { pendingArmKey: armKey, pendingDeleteLosers: deleteLosers } = experiment;
  await asPendingJob(deps.db, experiment.id, "apply", input.finalAttempt, async () => {
    await applyWinner({ ...deps, admin: await adminOf(deps, input.shopId) }, input.shopId, experiment.id, armKey, { deleteLosers });
  });
}

async function adminOf(deps: ExperimentJobDeps, shopId: string): Promise<AdminGraphql> {
  const shop = await deps.db.shop.findUniqueOrThrow({ where: { id: shopId } });
  return deps.admin(shop.domain);
}

async function asPendingJob(db: Db, id: string, action: PendingAction, finalAttempt: boolean, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, MAX_REASON_CHARS);
    if (isRetryable(error) && !finalAttempt) {
      // Shown beside "Starting…" while the queue tries again.
      await db.experiment.updateMany({ where: { id, pendingAction: action }, data: { lastError: reason } });
      throw error;
    }
    await db.experiment.updateMany({ where: { id, pendingAction: action }, data: { pendingAction: null, pendingArmKey: null, pendingDeleteLosers: false, lastError: reason } });
    throw new NonRetryableJobError(reason, { cause: error });
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ExperimentError || error instanceof NonRetryableJobError) return false;
  if (error instanceof ShopifyMediaError) return error.retryable;
  // Validation and access errors do not go away; only a throttle we gave up on does.
  if (error instanceof AdminApiError) return error.code === "THROTTLED";
  return true;
}
