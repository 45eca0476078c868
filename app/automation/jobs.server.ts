/**
 * Automation's jobs, run by workers (no request session: product facts come
 * from the cache the webhooks keep fresh).
 *
 * - automation-new-product: launch the product's batch; when a preset needs a
 *   photo the product lacks, its items wait, re-checked a bounded number of
 *   times, then fail with a reason; with auto-publish, publish the best
 *   candidate once the batch is done, only if the product still has no image.
 * - automation-refresh: the debounced refresh after a meaningful text change.
 * - scheduler-tick: scheduled refreshes, once per slot across every instance;
 *   it also enqueues the A/B upkeep (tests past their longest duration, old
 *   pixel events) and prunes webhook delivery ids.
 */
import { enqueueItems } from "~/batches/enqueue.server";
import { rollUpBatch } from "~/batches/rollup.server";
import type { Db } from "~/db/client.server";
import { enqueueExperimentUpkeep } from "~/experiments/upkeep.server";
import { RetryLaterError } from "~/queue/types";
import { readShopSettings, type ShopSettings } from "~/settings/shop-settings";
import { pruneDeliveries } from "~/webhooks/delivery.server";
import { launchAutomationBatch, needsPhoto, type LaunchDeps } from "./launch.server";
import { claimRun, findRun, ONCE, settleRun, type RunRow } from "./runs.server";
import { latestSlot, tickJobId, tickSlot } from "./schedule";

export interface PublishBestInput {
  shopId: string;
  shopDomain: string;
  productGid: string;
  candidateId: string;
}

export interface AutomationJobDeps extends LaunchDeps {
  /** Between checks for a new product's first photo. */
  photoRecheckMs: number;
  /** Checks before its waiting images fail. */
  photoChecks: number;
  /** Between looks at a batch that auto-publish waits for. */
  followPollMs: number;
  /** The brand kit switch for the shop's batches. */
  brandKitEnabled(shopId: string): Promise<boolean>;
  /** Publish a candidate as the product's featured image; absent until publishing exists. */
  publishBest?: (input: PublishBestInput) => Promise<void>;
  /** Scheduler tick period. */
  tickMs: number;
}

/** A batch auto-publish still waits for after this long is left for review. */
const FOLLOW_LIMIT_MS = 24 * 60 * 60 * 1000;
/** A claimed run with no batch this old was abandoned by a crashed worker; another may take it over. */
const ABANDONED_CLAIM_MS = 5 * 60 * 1000;

async function activeShop(db: Db, shopId: string): Promise<{ domain: string; settings: ShopSettings } | null> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { domain: true, uninstalledAt: true, settingsJson: true } });
  if (!shop || shop.uninstalledAt) return null;
  return { domain: shop.domain, settings: readShopSettings(shop.settingsJson) };
}

async function cachedProduct(db: Db, shopId: string, productGid: string) {
  return db.productCache.findUnique({ where: { shopId_productGid: { shopId, productGid } } });
}

function hasReadyPhoto(row: { mediaJson: string; featuredImageUrl: string | null }): boolean {
  if (row.featuredImageUrl) return true;
  return (JSON.parse(row.mediaJson) as { status: string; url: string }[]).some((m) => m.status === "READY" && m.url);
}

export async function runNewProduct(deps: AutomationJobDeps, payload: { shopId: string; productGid: string }): Promise<void> {
  const { db } = deps;
  const { shopId, productGid } = payload;
  const shop = await activeShop(db, shopId);
  if (!shop) return;
  const runKey = `new-product:${productGid}`;
  let run = await claimRun(db, shopId, runKey, ONCE);
  if (run) {
    if (!shop.settings.automation.enabled) return settleRun(db, run.id, "skipped", { reason: "Automation was turned off." });
    run = await startNewProduct(deps, run, shop.settings, productGid);
    if (!run) return;
  } else {
    run = await findRun(db, shopId, runKey, ONCE);
    if (!run) return;
    if (run.outcome === "started" && !run.batchId) {
      if (deps.now().getTime() - run.createdAt.getTime() < ABANDONED_CLAIM_MS) {
        throw new RetryLaterError("another delivery is launching this product's batch", deps.photoRecheckMs);
      }
      run = await startNewProduct(deps, run, shop.settings, productGid);
      if (!run) return;
    }
  }
  await followNewProduct(deps, run, shop, productGid);
}

/** Launches; returns the run to follow, or null when it ended here. */
async function startNewProduct(deps: AutomationJobDeps, run: RunRow, settings: ShopSettings, productGid: string): Promise<RunRow | null> {
  const { db } = deps;
  const { automation } = settings;
  const product = await cachedProduct(db, run.shopId, productGid);
  if (!product) {
    await settleRun(db, run.id, "skipped", { reason: "The product's details never reached the app." });
    return null;
  }
  const planDeps = await deps.planDeps(run.shopId, automation.providerId);
  const waitForPhoto = needsPhoto(planDeps.presets, automation.presetIds, automation.useReference) && !hasReadyPhoto(product);
  const launched = await launchAutomationBatch(deps, {
    shopId: run.shopId,
    source: "automation-new-product",
    productGids: [productGid],
    presetIds: automation.presetIds,
    candidatesPerProduct: automation.candidatesPerProduct,
    automation,
    brandKit: await deps.brandKitEnabled(run.shopId),
    hold: waitForPhoto,
  });
  if (!launched.ok) {
    await settleRun(db, run.id, "skipped", { reason: launched.reason });
    return null;
  }
  if (waitForPhoto) {
    await db.productWatch.updateMany({
      where: { shopId: run.shopId, productGid },
      data: { waitingBatchId: launched.batchId, photoChecks: 0 },
    });
  }
  await settleRun(db, run.id, waitForPhoto ? "waiting" : "launched", { batchId: launched.batchId });
  return db.scheduleRun.findUniqueOrThrow({ where: { id: run.id } });
}

async function followNewProduct(deps: AutomationJobDeps, run: RunRow, shop: { domain: string; settings: ShopSettings }, productGid: string) {
  const { db } = deps;
  const batchId = run.batchId;
  if (!batchId || run.outcome === "published" || run.outcome === "failed" || run.outcome === "skipped") return;
  const now = deps.now();

  if (run.outcome === "waiting") {
    const watch = await db.productWatch.findUnique({ where: { shopId_productGid: { shopId: run.shopId, productGid } } });
    const product = await cachedProduct(db, run.shopId, productGid);
    if (product && hasReadyPhoto(product)) {
      const items = await db.batchItem.findMany({ where: { batchId, shopId: run.shopId, status: "queued" }, select: { id: true } });
      await enqueueItems(deps.queue, items.map((i) => i.id), true);
      await db.productWatch.updateMany({ where: { shopId: run.shopId, productGid }, data: { waitingBatchId: null } });
      await settleRun(db, run.id, "launched", { batchId });
    } else {
      const checks = (watch?.photoChecks ?? 0) + 1;
      if (checks >= deps.photoChecks) {
        const minutes = Math.round((deps.photoChecks * deps.photoRecheckMs) / 60_000);
        const reason =
          `This product still had no photo after ${deps.photoChecks} checks over about ${minutes} minute(s), ` +
          "and the chosen presets work from one. Add a photo in Shopify, then launch a batch for it.";
        await db.batchItem.updateMany({
          where: { batchId, shopId: run.shopId, status: "queued" },
          data: { status: "failed", errorKind: "photo", errorMessage: reason, finishedAt: now },
        });
        await rollUpBatch(db, batchId, now);
        await db.productWatch.updateMany({ where: { shopId: run.shopId, productGid }, data: { waitingBatchId: null } });
        await settleRun(db, run.id, "failed", { batchId, reason: "No product photo arrived in time." });
        return;
      }
      await db.productWatch.updateMany({ where: { shopId: run.shopId, productGid }, data: { photoChecks: checks } });
      throw new RetryLaterError(`waiting for the product's first photo (check ${checks} of ${deps.photoChecks})`, deps.photoRecheckMs);
    }
  }

  if (shop.settings.automation.resultMode !== "auto-publish-if-no-image" || !deps.publishBest) return;
  const batch = await db.batch.findFirst({ where: { id: batchId, shopId: run.shopId }, select: { status: true } });
  if (!batch || batch.status === "canceled") return;
  if (batch.status !== "completed") {
    if (now.getTime() - run.createdAt.getTime() > FOLLOW_LIMIT_MS) return;
    throw new RetryLaterError("waiting for the batch to finish before auto-publishing", deps.followPollMs);
  }
  const product = await cachedProduct(db, run.shopId, productGid);
  // The merchant added a photo meanwhile: theirs stays featured; ours wait for review.
  if (!product || hasReadyPhoto(product)) {
    await settleRun(db, run.id, "launched", { batchId, reason: "The product has its own image now; candidates are left for review." });
    return;
  }
  const best = await db.candidate.findFirst({
    where: { shopId: run.shopId, productGid, status: "new", item: { batchId } },
    orderBy: [{ fidelityFlagged: "asc" }, { fidelityScore: { sort: "desc", nulls: "last" } }, { createdAt: "asc" }],
  });
  if (!best) return;
  await deps.publishBest({ shopId: run.shopId, shopDomain: shop.domain, productGid, candidateId: best.id });
  await settleRun(db, run.id, "published", { batchId });
}

export async function runRefresh(deps: AutomationJobDeps, payload: { watchId: string }): Promise<void> {
  const { db } = deps;
  const watch = await db.productWatch.findUnique({ where: { id: payload.watchId } });
  if (!watch?.refreshDueAt) return;
  const now = deps.now();
  const due = watch.refreshDueAt;
  // Edited again since this job was scheduled: wait until the edits have settled.
  if (due > now) throw new RetryLaterError("debouncing product edits", due.getTime() - now.getTime());
  const shop = await activeShop(db, watch.shopId);
  const run = await claimRun(db, watch.shopId, `refresh:${watch.productGid}`, due);
  await db.productWatch.updateMany({ where: { id: watch.id, refreshDueAt: due }, data: { refreshDueAt: null } });
  if (!run) return;
  const automation = shop?.settings.automation;
  if (!shop || !automation?.enabled || !automation.refreshOnEdit) {
    return settleRun(db, run.id, "skipped", { reason: "Refresh on edit was turned off." });
  }
  const launched = await launchAutomationBatch(deps, {
    shopId: watch.shopId,
    source: "automation-refresh",
    productGids: [watch.productGid],
    presetIds: automation.presetIds,
    candidatesPerProduct: automation.candidatesPerProduct,
    automation,
    brandKit: await deps.brandKitEnabled(watch.shopId),
    hold: false,
  });
  await settleRun(db, run.id, launched.ok ? "launched" : "skipped", launched.ok ? { batchId: launched.batchId } : { reason: launched.reason });
  // Edited again while this ran: that edit's enqueue found this job active and was a no-op, so this job takes it.
  const next = (await db.productWatch.findUnique({ where: { id: watch.id }, select: { refreshDueAt: true } }))?.refreshDueAt;
  if (next) throw new RetryLaterError("another edit arrived during the refresh", Math.max(0, next.getTime() - deps.now().getTime()));
}

export async function runSchedulerTick(deps: AutomationJobDeps, payload: { slot: string }): Promise<void> {
  const { db } = deps;
  const now = deps.now();
  // The next tick first, so a failure below cannot break the chain.
  // A late tick skips the slots it missed: they would all see the same schedule slots.
  const next = new Date(Math.max(Date.parse(payload.slot), tickSlot(now, deps.tickMs).getTime()) + deps.tickMs);
  await deps.queue.enqueue(
    { name: "scheduler-tick", payload: { slot: next.toISOString() } },
    { jobId: tickJobId(next, deps.tickMs), delayMs: Math.max(0, next.getTime() - now.getTime()), maxAttempts: 3, rerunFinished: true },
  );
  const shops = await db.shop.findMany({
    where: { uninstalledAt: null, settingsJson: { contains: '"schedules":[{' } },
    select: { id: true, settingsJson: true },
  });
  for (const shop of shops) {
    const settings = readShopSettings(shop.settingsJson);
    for (const schedule of settings.schedules) {
      if (!schedule.enabled) continue;
      const slotStart = latestSlot(schedule, now);
      if (!slotStart) continue;
      const run = await claimRun(db, shop.id, `schedule:${schedule.id}`, slotStart);
      if (!run) continue;
      try {
        const launched = await launchAutomationBatch(deps, {
          shopId: shop.id,
          source: "schedule",
          productGids: schedule.productGids,
          presetIds: schedule.presetIds,
          candidatesPerProduct: schedule.candidatesPerProduct,
          automation: settings.automation,
          brandKit: await deps.brandKitEnabled(shop.id),
          hold: false,
        });
        await settleRun(db, run.id, launched.ok ? "launched" : "skipped", launched.ok ? { batchId: launched.batchId } : { reason: launched.reason });
      } catch (error) {
        // One shop's failure must not stop the others' schedules; the slot is spent and says why.
        await settleRun(db, run.id, "failed", { reason: `Could not launch: ${(error as Error).message.slice(0, 300)}` });
      }
    }
  }
  await enqueueExperimentUpkeep(deps, { from: new Date(Date.parse(payload.slot)), to: next });
  await pruneDeliveries(db, now);
}
