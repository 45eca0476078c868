/**
 * Launching a batch: check the request against what the chosen provider can
 * do, price it, check the money, then write the batch with one item per
 * product × preset × candidate slot and enqueue one job per item.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Db } from "~/db/client.server";
import { estimateBatch } from "~/generation/estimate/batch-cost.server";
import { estimateDuration } from "~/generation/estimate/duration";
import { formatMoney } from "~/generation/estimate/money";
import { presetsAvailableFor } from "~/generation/presets/availability";
import type { Preset } from "~/generation/presets/types";
import type { ImageProvider, ProviderCapabilities, SizeRule } from "~/generation/provider";
import type { ProviderRegistry } from "~/providers/registry.server";
import { UnknownProviderError } from "~/providers/registry.server";
import type { JobQueue } from "~/queue/types";
import type { BatchRequest } from "./batch-request";
import { shopBudget, type BudgetState } from "./budget.server";
import { enqueueItems } from "./enqueue.server";

export interface PlanDeps {
  db: Db;
  registry: Pick<ProviderRegistry, "create">;
  /** The built-in library plus the shop's own presets. */
  presets: readonly Preset[];
  now: () => Date;
  /** The account's images-per-minute limit, when known; bounds the time estimate. */
  imagesPerMinute?: number;
  /** Items the workers run at once. */
  concurrency: number;
}

export interface BatchPlan {
  items: number;
  costMicros: number;
  perItemMicros: number;
  durationSeconds: number;
  budget: BudgetState;
}

export type PlanResult = { ok: true; plan: BatchPlan } | { ok: false; reasons: string[]; plan?: BatchPlan };

/** Typical seconds per one-image call before anything is measured; only shapes the time estimate. */
const SECONDS_PER_CALL_BEFORE_MEASURING = 20;

function sizeAllowed(rule: SizeRule, size: string): boolean {
  if (size === "auto") return rule.auto;
  if (rule.fixed.includes(size)) return true;
  const custom = rule.custom;
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!custom || !match) return false;
  const width = Number(match[1]);
  const height = Number(match[2]);
  return (
    width % custom.multipleOf === 0 &&
    height % custom.multipleOf === 0 &&
    Math.min(width, height) >= custom.minEdge &&
    Math.max(width, height) <= custom.maxEdge &&
    Math.max(width, height) / Math.min(width, height) <= custom.maxAspectRatio &&
    width * height >= custom.minPixels &&
    width * height <= custom.maxPixels
  );
}

/** Merchant-readable reasons the chosen provider cannot run these options; empty when it can. */
export function optionProblems(capabilities: ProviderCapabilities, request: BatchRequest, presets: readonly Preset[]): string[] {
  const { options } = request;
  const problems: string[] = [];
  const known = new Map(presets.map((p) => [p.id, p]));
  const chosen: Preset[] = [];
  for (const id of request.presetIds) {
    const preset = known.get(id);
    if (preset) chosen.push(preset);
    else problems.push(`The preset "${id}" does not exist.`);
  }
  for (const availability of presetsAvailableFor(capabilities, chosen)) {
    if (!availability.available) problems.push(`${availability.preset.name}: ${availability.reason}.`);
  }
  if (!sizeAllowed(capabilities.sizes, options.size)) {
    const offered = [...capabilities.sizes.fixed, ...(capabilities.sizes.auto ? ["auto"] : [])].join(", ");
    problems.push(`This provider cannot make ${options.size} images; choose one of ${offered}.`);
  }
  if (!capabilities.qualities.includes(options.quality)) problems.push(`This provider has no "${options.quality}" quality.`);
  if (!capabilities.formats.includes(options.format)) problems.push(`This provider cannot save ${options.format.toUpperCase()} files.`);
  if (options.background === "transparent") {
    if (!capabilities.transparentBackground) problems.push("This provider cannot make transparent backgrounds.");
    if (options.format === "jpeg") problems.push("JPEG has no transparency; choose PNG or WebP for a transparent background.");
  }
  if (options.useReference && !capabilities.editWithReferences) problems.push("This provider cannot work from your product photo.");
  if (options.edit && (!capabilities.mask || !capabilities.editWithReferences)) {
    problems.push("This provider cannot repaint a region of an image; choose one that takes an inpainting mask.");
  }
  if (!options.useReference && !capabilities.generate) {
    problems.push("This provider needs your product photo; turn on “Use product photo”.");
  }
  return problems;
}

/** Validates and prices a request without writing anything: the launch form's live estimate. */
export async function planBatch(deps: PlanDeps, shopId: string, request: BatchRequest): Promise<PlanResult> {
  let provider: ImageProvider;
  try {
    provider = deps.registry.create(request.providerId, request.model);
  } catch (error) {
    if (error instanceof UnknownProviderError) return { ok: false, reasons: [error.message] };
    throw error;
  }
  const problems = optionProblems(provider.capabilities, request, deps.presets);
  if (problems.length > 0) return { ok: false, reasons: problems };

  const items = request.productGids.length * request.presetIds.length * request.candidatesPerProduct;
  // Each item is its own call for one image, so price one such call and multiply.
  const perItem = estimateBatch({
    provider,
    products: 1,
    presets: 1,
    candidatesPerProduct: 1,
    size: request.options.size,
    quality: request.options.quality,
    referencesPerCall: request.options.useReference ? 1 : 0,
  });
  const costMicros = perItem.costMicros * items;
  const durationSeconds = estimateDuration({
    images: items,
    calls: items,
    ...(deps.imagesPerMinute !== undefined && { imagesPerMinute: deps.imagesPerMinute }),
    concurrency: deps.concurrency,
    secondsPerCall: SECONDS_PER_CALL_BEFORE_MEASURING,
  });
  const budget = await shopBudget(deps.db, shopId, deps.now());
  const plan: BatchPlan = { items, costMicros, perItemMicros: perItem.costMicros, durationSeconds, budget };

  const reasons: string[] = [];
  if (costMicros > budget.remainingMicros) {
    reasons.push(
      `This batch would cost about ${formatMoney(costMicros)}, but only ${formatMoney(budget.remainingMicros)} of this month's ` +
        `${formatMoney(budget.monthlyBudgetMicros)} budget remains. Choose fewer products or candidates, or raise the budget.`,
    );
  }
  if (request.budgetCapMicros !== undefined && costMicros > request.budgetCapMicros) {
    reasons.push(`This batch would cost about ${formatMoney(costMicros)}, more than its cap of ${formatMoney(request.budgetCapMicros)}.`);
  }
  return reasons.length > 0 ? { ok: false, reasons, plan } : { ok: true, plan };
}

export interface CreateDeps extends PlanDeps {
  queue: Pick<JobQueue, "enqueue">;
}

export type CreateResult = { ok: true; batchId: string; plan: BatchPlan } | { ok: false; reasons: string[]; plan?: BatchPlan };

/** Derived, so a retried or re-delivered job finds the same item and the same seed. */
function slotDigest(batchId: string, productGid: string, presetId: string, index: number): Buffer {
  return createHash("sha256").update(JSON.stringify([batchId, productGid, presetId, index])).digest();
}

export async function createBatch(deps: CreateDeps, shopId: string, request: BatchRequest): Promise<CreateResult> {
  const planned = await planBatch(deps, shopId, request);
  if (!planned.ok) return planned;
  const { plan } = planned;

  const batchId = randomUUID();
  const items = request.productGids.flatMap((productGid) =>
    request.presetIds.flatMap((presetId) =>
      Array.from({ length: request.candidatesPerProduct }, (_, candidateIndex) => {
        const digest = slotDigest(batchId, productGid, presetId, candidateIndex);
        return {
          id: randomUUID(),
          batchId,
          shopId,
          productGid,
          presetId,
          candidateIndex,
          seed: digest.readUInt32BE(0) & 0x7fffffff,
          idempotencyKey: `${batchId}:${digest.subarray(4, 20).toString("hex")}`,
          estimatedCostMicros: BigInt(plan.perItemMicros),
        };
      }),
    ),
  );

  await deps.db.$transaction([
    deps.db.batch.create({
      data: {
        id: batchId,
        shopId,
        providerId: request.providerId,
        model: request.model,
        presetIdsJson: JSON.stringify(request.presetIds),
        productGidsJson: JSON.stringify(request.productGids),
        candidatesPerProduct: request.candidatesPerProduct,
        optionsJson: JSON.stringify(request.options),
        estimatedCostMicros: BigInt(plan.costMicros),
        budgetCapMicros: request.budgetCapMicros === undefined ? null : BigInt(request.budgetCapMicros),
      },
    }),
    deps.db.batchItem.createMany({ data: items }),
  ]);
  // After the commit: a job must never name an item that does not exist. If
  // enqueueing stops half-way, the rest stay queued and resuming the batch enqueues them.
  await enqueueItems(deps.queue, items.map((i) => i.id), false);
  return { ok: true, batchId, plan };
}
