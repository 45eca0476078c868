import { randomBytes } from "node:crypto";
import type { Db } from "~/db/client.server";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import {
  activateWebPixel,
  attachFileToProduct,
  createImageFile,
  deleteExperimentMetafield,
  deleteFiles,
  ensureExperimentMetafieldDefinition,
  setExperimentMetafield,
} from "~/shopify/experiments.server";
import {
  ACCEPTED_IMAGE_TYPES,
  createStagedUpload,
  getProductGallery,
  reorderProductMedia,
  uploadToStagedTarget,
  ShopifyMediaError,
  waitForMediaReady,
  type FetchLike,
} from "~/shopify/media.server";
import { getShopSettings } from "~/settings/settings.server";
import type { ShopSettings } from "~/settings/shop-settings";
import type { ObjectStorage } from "~/storage/types";
import { cdnFileName, storefrontConfig, trafficWeights } from "./config";

/**
 * The experiment lifecycle: draft → running ⇄ paused → stopped → winner
 * applied. Every use case takes the shop id from the session and answers an
 * experiment of another shop exactly like a missing one. Start and apply-winner
 * talk to Shopify for up to a minute, so they run as jobs (experiment-jobs.server.ts);
 * both may run again after a partial attempt without uploading or attaching twice.
 */

export class ExperimentError extends Error {
  override name = "ExperimentError";
  constructor(
    readonly status: 400 | 404 | 409 | 502,
    message: string,
  ) {
    super(message);
  }
}

export interface ExperimentDeps {
  db: Db;
  admin: AdminGraphql;
  storage: Pick<ObjectStorage, "get">;
  /** The app's public URL: the pixel posts to `${appUrl}/api/pixel/events`. */
  appUrl: string;
  now(): Date;
  sleep(ms: number): Promise<void>;
  fetch?: FetchLike;
}

export const MAX_VARIANTS = 3;
const ARM_KEYS = ["a", "b", "c", "d"] as const;
/** A lift of +10% unless the merchant asks for another (the schema's default too). */
export const DEFAULT_RELATIVE_MDE = 0.1;
/** Every test decides at 5% (the schema's default; it is not offered as a choice). */
export const DEFAULT_ALPHA = 0.05;
/** Below this many control visitors the shop's add-to-cart rate is too uncertain to size a test on (as the analysis trusts no arm below 100). */
const MIN_BASELINE_VISITORS = 100;

export async function requireExperiment(db: Db, shopId: string, id: string) {
  const experiment = await db.experiment.findFirst({ where: { id, shopId }, include: { arms: { orderBy: { key: "asc" } } } });
  if (!experiment) throw new ExperimentError(404, "No such experiment");
  return experiment;
}

export interface CreateExperimentInput {
  shopId: string;
  productGid: string;
  candidateIds: string[];
  /** Percent per arm, control first; when absent, the shop's A/B default share goes to the variants. */
  weights?: number[];
  /** The smallest relative lift worth finding (0.1 = +10%); it sizes the test and sets the sequential test's mixing variance. */
  relativeMde?: number;
}

export interface NewExperimentDefaults {
  /** The shop's default share of visitors for the variants (Settings → A/B). */
  trafficPercent: number;
  relativeMde: number;
  alpha: number;
  /** The add-to-cart rate the control images of the shop's earlier tests had, or null when they saw too few visitors. */
  baseline: { rate: number; visitors: number } | null;
}

/** What the create form opens with and sizes a test from: one settings read and one sum over the shop's control arms. */
export async function newExperimentDefaults(db: Db, shopId: string): Promise<NewExperimentDefaults> {
  const settings = await getShopSettings(db, shopId);
  const control = await db.experimentDailyAggregate.aggregate({ where: { shopId, armKey: ARM_KEYS[0] }, _sum: { visitors: true, addToCartVisitors: true } });
  const visitors = control._sum.visitors ?? 0;
  const adds = control._sum.addToCartVisitors ?? 0;
  return {
    trafficPercent: settings.ab.trafficPercent,
    relativeMde: DEFAULT_RELATIVE_MDE,
    alpha: DEFAULT_ALPHA,
    baseline: visitors >= MIN_BASELINE_VISITORS && adds > 0 && adds < visitors ? { rate: adds / visitors, visitors } : null,
  };
}

/** A draft from the product's current featured image (the control) and one to three A/B candidates. */
export async function createExperiment(deps: Pick<ExperimentDeps, "db" | "admin">, input: CreateExperimentInput) {
  const ids = [...new Set(input.candidateIds)];
  if (ids.length < 1 || ids.length > MAX_VARIANTS) throw new ExperimentError(400, `Choose between 1 and ${MAX_VARIANTS} A/B candidates.`);
  const candidates = await deps.db.candidate.findMany({ where: { id: { in: ids }, shopId: input.shopId, productGid: input.productGid } });
  if (candidates.length !== ids.length) throw new ExperimentError(404, "Some of those candidates do not exist for this product.");
  const notMarked = candidates.filter((c) => !c.abCandidate);
  if (notMarked.length) throw new ExperimentError(400, "Only candidates marked for A/B testing can be variants.");
  const settings = await getShopSettings(deps.db, input.shopId);
  requirePixelAllowed(settings);
  const weights = input.weights ?? trafficWeights(settings.ab.trafficPercent, ids.length);
  if (weights.length !== ids.length + 1 || weights.some((w) => !Number.isInteger(w) || w < 1) || weights.reduce((a, b) => a + b, 0) !== 100) {
    throw new ExperimentError(400, "The traffic split needs one whole percent of at least 1 per arm, adding up to 100.");
  }
  const relativeMde = input.relativeMde ?? DEFAULT_RELATIVE_MDE;
  if (!(relativeMde > 0 && relativeMde <= 1)) throw new ExperimentError(400, "The smallest lift worth detecting must be more than 0% and at most 100%.");
  const gallery = await getProductGallery(deps.admin, input.productGid);
  const featured = gallery?.media[0];
  if (!gallery || !featured?.imageUrl) throw new ExperimentError(400, "The product has no featured image to test against.");
  const ordered = ids.map((id) => candidates.find((c) => c.id === id)!);
  return deps.db.experiment.create({
    data: {
      shopId: input.shopId,
      productGid: input.productGid,
      productTitle: gallery.title,
      relativeMde,
      alpha: DEFAULT_ALPHA,
      controlImageUrl: featured.imageUrl,
      controlMediaId: featured.id,
      controlFileName: cdnFileName(featured.imageUrl),
      arms: {
        create: [
          { shopId: input.shopId, key: "a", label: "Control", isControl: true, weight: weights[0]!, fileStatus: "ready", imageUrl: featured.imageUrl },
          ...ordered.map((candidate, i) => ({
            shopId: input.shopId,
            key: ARM_KEYS[i + 1]!,
            label: `Variant ${ARM_KEYS[i + 1]!.toUpperCase()}`,
            weight: weights[i + 1]!,
            candidateId: candidate.id,
          })),
        ],
      },
    },
  });
}

/** An A/B test counts visitors with the storefront pixel; a shop that turned the pixel off in Settings gets none. */
export function requirePixelAllowed(settings: ShopSettings): void {
  if (!settings.privacy.pixelEnabled) {
    throw new ExperimentError(409, "A/B tests count visitors with the storefront pixel, which is turned off in Settings (Privacy). Turn it on to run a test.");
  }
}

/** The shop's pixel key, created on first use, and the web pixel activated with it. */
export async function ensurePixel(deps: Pick<ExperimentDeps, "db" | "admin" | "appUrl">, shopId: string): Promise<void> {
  let pixel = await deps.db.pixelKey.findUnique({ where: { shopId } });
  pixel ??= await deps.db.pixelKey.create({ data: { shopId, key: randomBytes(24).toString("base64url") } });
  const endpoint = `${deps.appUrl.replace(/\/$/, "")}/api/pixel/events`;
  const webPixelId = await activateWebPixel(deps.admin, { shopKey: pixel.key, endpoint }, pixel.webPixelId);
  if (webPixelId !== pixel.webPixelId) await deps.db.pixelKey.update({ where: { shopId }, data: { webPixelId } });
}

/**
 * Uploads a variant's image to the shop's Files and waits until Shopify has it
 * on its CDN. A File an earlier attempt created is waited for, not uploaded
 * again; only one Shopify failed to process is replaced.
 */
async function uploadVariant(
  deps: ExperimentDeps,
  experiment: { id: string; shopId: string },
  arm: { id: string; key: string; candidateId: string | null; shopifyFileId: string | null },
) {
  if (arm.shopifyFileId) {
    try {
      return await markVariantReady(deps, arm.id, arm.shopifyFileId);
    } catch (error) {
      if (!(error instanceof ShopifyMediaError) || error.retryable) throw error;
    }
  }
  const candidate = arm.candidateId ? await deps.db.candidate.findFirst({ where: { id: arm.candidateId, shopId: experiment.shopId } }) : null;
  if (!candidate) throw new ExperimentError(409, `The candidate of ${arm.key.toUpperCase()} no longer exists.`);
  const object = await deps.storage.get(candidate.storageKey);
  if (!object) throw new ExperimentError(409, `The image of variant ${arm.key.toUpperCase()} is missing from storage.`);
  const mimeType = ACCEPTED_IMAGE_TYPES[candidate.format] ?? object.contentType;
  const filename = `pis-ab-${experiment.id}-${arm.key}.${candidate.format === "jpeg" ? "jpg" : candidate.format}`;
  const target = await createStagedUpload(deps.admin, { filename, mimeType, fileSize: object.body.length, resource: "FILE" });
  await uploadToStagedTarget(target, { bytes: object.body, filename, mimeType }, deps.fetch);
  const fileId = await createImageFile(deps.admin, { originalSource: target.resourceUrl, alt: candidate.altText ?? "", filename });
  await deps.db.experimentArm.update({ where: { id: arm.id }, data: { shopifyFileId: fileId, fileStatus: "pending" } });
  await markVariantReady(deps, arm.id, fileId);
}

async function markVariantReady(deps: ExperimentDeps, armId: string, fileId: string) {
  const media = await waitForMediaReady(deps.admin, fileId, { sleep: deps.sleep, now: () => deps.now().getTime(), timeoutMs: 60_000 });
  await deps.db.experimentArm.update({ where: { id: armId }, data: { fileStatus: "ready", imageUrl: media.imageUrl } });
}

function liveKey(shopId: string, productGid: string) {
  return `${shopId}|${productGid}`;
}

/**
 * draft or paused → running: variant files ready, the storefront config
 * written, the pixel active. Fulfils a pending start in the same write. On
 * failure a draft releases its product; the error is the caller's to record.
 */
export async function startExperiment(deps: ExperimentDeps, shopId: string, id: string) {
  const experiment = await requireExperiment(deps.db, shopId, id);
  if (experiment.status !== "draft" && experiment.status !== "paused") throw new ExperimentError(409, `A ${experiment.status} experiment cannot start.`);
  requirePixelAllowed(await getShopSettings(deps.db, shopId));
  // Claim the product first: the unique live key refuses a second live experiment on it.
  try {
    await deps.db.experiment.update({ where: { id }, data: { liveProductKey: liveKey(shopId, experiment.productGid) } });
  } catch {
    throw new ExperimentError(409, "Another experiment is already running on this product.");
  }
  try {
    for (const arm of experiment.arms) {
      if (!arm.isControl && arm.fileStatus !== "ready") await uploadVariant(deps, experiment, arm);
    }
    await ensurePixel(deps, shopId);
    await ensureExperimentMetafieldDefinition(deps.admin);
    const ready = await requireExperiment(deps.db, shopId, id);
    await setExperimentMetafield(deps.admin, experiment.productGid, storefrontConfig({ ...ready, status: "running" }));
  } catch (error) {
    if (experiment.status === "draft") await deps.db.experiment.update({ where: { id }, data: { liveProductKey: null } });
    throw error;
  }
  return deps.db.experiment.update({
    where: { id },
    data: { status: "running", lastError: null, startedAt: experiment.startedAt ?? deps.now(), pendingAction: null },
  });
}

/** A pending start or apply owns the experiment until its job ends. */
function requireNothingPending(experiment: { pendingAction: string | null }) {
  if (experiment.pendingAction === "start") throw new ExperimentError(409, "The test is starting; try again once it has.");
  if (experiment.pendingAction === "apply") throw new ExperimentError(409, "The winner is being applied.");
}

/** running → paused: every visitor sees the control (the embed reads the paused status); data is kept. */
export async function pauseExperiment(deps: ExperimentDeps, shopId: string, id: string) {
  const experiment = await requireExperiment(deps.db, shopId, id);
  requireNothingPending(experiment);
  if (experiment.status !== "running") throw new ExperimentError(409, `A ${experiment.status} experiment cannot pause.`);
  await setExperimentMetafield(deps.admin, experiment.productGid, storefrontConfig({ ...experiment, status: "paused" }));
  return deps.db.experiment.update({ where: { id }, data: { status: "paused" } });
}

/** running or paused → stopped: the storefront config is removed; results stay. */
export async function stopExperiment(deps: ExperimentDeps, shopId: string, id: string) {
  const experiment = await requireExperiment(deps.db, shopId, id);
  requireNothingPending(experiment);
  if (experiment.status !== "running" && experiment.status !== "paused") throw new ExperimentError(409, `A ${experiment.status} experiment cannot stop.`);
  return stopLive(deps, experiment);
}

async function stopLive(deps: ExperimentDeps, experiment: { id: string; productGid: string }) {
  await deleteExperimentMetafield(deps.admin, experiment.productGid);
  return deps.db.experiment.update({ where: { id: experiment.id }, data: { status: "stopped", liveProductKey: null, stoppedAt: deps.now() } });
}

/**
 * Makes the chosen arm's image the product's featured image: a variant's File
 * is attached to the product and moved first; the control stays in the
 * gallery. Then stops the experiment if it is still live, so a refusal from
 * Shopify leaves it as it was. With `deleteLosers`, the losing variants' Files
 * are deleted; the history stays. Fulfils a pending apply. Runs again safely:
 * a File already on the product is not attached again, a featured one not
 * moved, an applied winner only finishes deleting the losers.
 */
export async function applyWinner(deps: ExperimentDeps, shopId: string, id: string, armKey: string, options: { deleteLosers?: boolean } = {}) {
  const experiment = await requireExperiment(deps.db, shopId, id);
  const arm = experiment.arms.find((a) => a.key === armKey);
  const alreadyApplied = experiment.status === "winner_applied" && experiment.winnerArmKey === armKey;
  if (!alreadyApplied) {
    requireWinnerApplicable(experiment, arm);
    if (!arm.isControl) await makeFeatured(deps, experiment.productGid, arm.shopifyFileId!);
    if (experiment.status !== "stopped") await stopLive(deps, experiment);
    await deps.db.experiment.update({ where: { id }, data: { status: "winner_applied", winnerArmKey: arm.key, winnerAppliedAt: deps.now() } });
  }
  if (options.deleteLosers) {
    const losers = experiment.arms.filter((a) => !a.isControl && a.key !== armKey && a.shopifyFileId && a.fileStatus !== "deleted");
    await deleteFiles(deps.admin, losers.map((a) => a.shopifyFileId!));
    await deps.db.experimentArm.updateMany({ where: { id: { in: losers.map((a) => a.id) } }, data: { fileStatus: "deleted", imageUrl: null } });
  }
  return deps.db.experiment.update({ where: { id }, data: { pendingAction: null, pendingArmKey: null, pendingDeleteLosers: false } });
}

/** What apply needs of the experiment, checked when the merchant asks and again when the job runs. */
export function requireWinnerApplicable(
  experiment: { status: string },
  arm: { isControl: boolean; shopifyFileId: string | null } | undefined,
): asserts arm is { isControl: boolean; shopifyFileId: string | null } {
  if (experiment.status === "winner_applied" || experiment.status === "draft") throw new ExperimentError(409, `A ${experiment.status.replace("_", " ")} experiment has no winner to apply.`);
  if (!arm) throw new ExperimentError(404, "No such arm");
  if (!arm.isControl && !arm.shopifyFileId) throw new ExperimentError(409, "The winning image never reached Shopify.");
}

async function makeFeatured(deps: ExperimentDeps, productGid: string, fileId: string) {
  const wait = { sleep: deps.sleep, now: () => deps.now().getTime() };
  const gallery = await getProductGallery(deps.admin, productGid);
  if (!gallery) throw new ExperimentError(409, "The product no longer exists in Shopify.");
  if (!gallery.media.some((m) => m.id === fileId)) await attachFileToProduct(deps.admin, fileId, productGid);
  await waitForMediaReady(deps.admin, fileId, { ...wait, timeoutMs: 60_000 });
  if (gallery.media[0]?.id !== fileId) await reorderProductMedia(deps.admin, productGid, [{ id: fileId, newPosition: 0 }], wait);
}
