/**
 * Launching a batch on the shop's behalf (new product, refresh, schedule):
 * the batch use case with the automation settings, the same budget rules as a
 * merchant's launch, plus the automation caps per product and per month.
 */
import { batchRequestSchema, type BatchRequest } from "~/batches/batch-request";
import { monthStart } from "~/batches/budget.server";
import { createBatch, planBatch, type PlanDeps } from "~/batches/create-batch.server";
import type { Db } from "~/db/client.server";
import { formatMoney } from "~/generation/estimate/money";
import type { Preset } from "~/generation/presets/types";
import type { JobQueue } from "~/queue/types";
import type { AutomationSettings } from "~/settings/shop-settings";

/** Batch.source of the batches automation starts; what the "new candidates" badge and the monthly cap count. */
export const AUTOMATION_SOURCES = ["automation-new-product", "automation-refresh", "schedule"] as const;
export type AutomationSource = (typeof AUTOMATION_SOURCES)[number];

export interface LaunchDeps {
  db: Db;
  queue: Pick<JobQueue, "enqueue">;
  now: () => Date;
  /** The batch planner's dependencies for this shop and provider (registry, presets, concurrency). */
  planDeps(shopId: string, providerId: string): Promise<PlanDeps>;
}

export interface LaunchInput {
  shopId: string;
  source: AutomationSource;
  productGids: string[];
  presetIds: string[];
  candidatesPerProduct: number;
  automation: AutomationSettings;
  brandKit: boolean;
  /** Create the items but start none: they wait (e.g. for the product's first photo). */
  hold: boolean;
}

export type LaunchResult = { ok: true; batchId: string } | { ok: false; reason: string };

/** Whether any chosen preset, with these options, works from the product's photo. */
export function needsPhoto(presets: readonly Preset[], presetIds: string[], useReference: boolean): boolean {
  if (useReference) return true;
  return presetIds.some((id) => presets.find((p) => p.id === id)?.requires.includes("editWithReferences") ?? false);
}

/** What automation's batches cost this month (UTC), paid items only. */
export async function automationSpentThisMonth(db: Db, shopId: string, now: Date): Promise<number> {
  const spent = await db.batchItem.aggregate({
    where: { shopId, costMicros: { not: null }, finishedAt: { gte: monthStart(now) }, batch: { source: { in: [...AUTOMATION_SOURCES] } } },
    _sum: { costMicros: true },
  });
  return Number(spent._sum.costMicros ?? 0n);
}

export async function launchAutomationBatch(deps: LaunchDeps, input: LaunchInput): Promise<LaunchResult> {
  const { automation } = input;
  const parsed = batchRequestSchema.safeParse({
    productGids: input.productGids,
    presetIds: input.presetIds,
    candidatesPerProduct: input.candidatesPerProduct,
    providerId: automation.providerId,
    model: automation.model,
    options: {
      size: automation.size,
      quality: automation.quality,
      format: automation.format,
      background: "opaque",
      useReference: automation.useReference,
      brandKit: input.brandKit,
    },
    ...(automation.perProductCapMicros !== null && { budgetCapMicros: automation.perProductCapMicros * input.productGids.length }),
  });
  if (!parsed.success) return { ok: false, reason: `The automation settings are incomplete: ${parsed.error.issues[0]?.message ?? "invalid"}.` };
  const request: BatchRequest = parsed.data;
  const planDeps = await deps.planDeps(input.shopId, request.providerId);

  if (automation.monthlyCapMicros !== null) {
    const planned = await planBatch(planDeps, input.shopId, request);
    if (!planned.ok) return { ok: false, reason: planned.reasons.join(" ") };
    const spent = await automationSpentThisMonth(deps.db, input.shopId, deps.now());
    if (spent + planned.plan.costMicros > automation.monthlyCapMicros) {
      return {
        ok: false,
        reason:
          `Skipped: about ${formatMoney(planned.plan.costMicros)} would pass automation's monthly cap of ` +
          `${formatMoney(automation.monthlyCapMicros)} (${formatMoney(spent)} spent this month).`,
      };
    }
  }
  const held = { enqueue: async () => {} };
  const created = await createBatch({ ...planDeps, queue: input.hold ? held : deps.queue }, input.shopId, request);
  if (!created.ok) return { ok: false, reason: created.reasons.join(" ") };
  await deps.db.batch.updateMany({ where: { id: created.batchId, shopId: input.shopId }, data: { source: input.source } });
  return { ok: true, batchId: created.batchId };
}
