/**
 * A batch as the merchant sees it, read from the database alone, so it is
 * the same whichever process or machine ran the items.
 */
import type { Db } from "~/db/client.server";
import { formatMoney } from "~/generation/estimate/money";
import { batchSpentMicros, shopBudget } from "./budget.server";

export const ITEM_STATES = ["queued", "running", "succeeded", "failed", "blocked", "canceled"] as const;
export type ItemState = (typeof ITEM_STATES)[number];
export type StateCounts = Record<ItemState, number>;

export interface ItemError {
  itemId: string;
  presetId: string;
  candidateIndex: number;
  state: "failed" | "blocked" | "queued";
  kind: string;
  reason: string;
  /** What the item's provider calls were charged so far, though none of their images was kept. */
  paidMicros: number;
}

export interface ProductProgress {
  productGid: string;
  title: string;
  counts: StateCounts;
  errors: ItemError[];
}

export interface BatchProgress {
  id: string;
  status: string;
  /** Why the batch is paused, in words, with what remains when it is money. */
  pausedMessage: string | null;
  providerId: string;
  model: string;
  presetIds: string[];
  candidatesPerProduct: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  total: number;
  counts: StateCounts;
  /** Settled share of the items, 0..1. */
  fraction: number;
  products: ProductProgress[];
  /** Items settled per minute since the batch started; null until two items have settled. */
  itemsPerMinute: number | null;
  etaSeconds: number | null;
  spentMicros: number;
  estimatedMicros: number;
}

export interface ProgressDeps {
  db: Db;
  now: () => Date;
  /** The provider account's images-per-minute limit, when known: no ETA is shorter than it allows. */
  imagesPerMinute?: (providerId: string) => number | undefined;
}

const SETTLED: ItemState[] = ["succeeded", "failed", "blocked"];

function emptyCounts(): StateCounts {
  return { queued: 0, running: 0, succeeded: 0, failed: 0, blocked: 0, canceled: 0 };
}

function isState(value: string): value is ItemState {
  return (ITEM_STATES as readonly string[]).includes(value);
}

/** null when the batch does not exist or belongs to another shop. */
export async function batchProgress(deps: ProgressDeps, shopId: string, batchId: string): Promise<BatchProgress | null> {
  const { db } = deps;
  const batch = await db.batch.findFirst({ where: { id: batchId, shopId } });
  if (!batch) return null;
  const [grouped, problems, spentMicros, settledTimes] = await Promise.all([
    db.batchItem.groupBy({ by: ["productGid", "status"], where: { batchId, shopId }, _count: { _all: true } }),
    db.batchItem.findMany({
      where: { batchId, shopId, OR: [{ status: { in: ["failed", "blocked"] } }, { status: "queued", errorMessage: { not: null } }] },
      orderBy: [{ productGid: "asc" }, { presetId: "asc" }, { candidateIndex: "asc" }],
      select: { id: true, productGid: true, presetId: true, candidateIndex: true, status: true, errorKind: true, errorMessage: true, costMicros: true },
      take: 500,
    }),
    batchSpentMicros(db, batchId),
    db.batchItem.aggregate({ where: { batchId, shopId, status: { in: SETTLED }, finishedAt: { not: null } }, _min: { finishedAt: true }, _max: { finishedAt: true } }),
  ]);
  const productGids = JSON.parse(batch.productGidsJson) as string[];
  const titles = new Map(
    (await db.productCache.findMany({ where: { shopId, productGid: { in: productGids } }, select: { productGid: true, title: true } })).map(
      (p) => [p.productGid, p.title],
    ),
  );

  const counts = emptyCounts();
  const rows = new Map<string, ProductProgress>(
    productGids.map((gid) => [gid, { productGid: gid, title: titles.get(gid) ?? gid, counts: emptyCounts(), errors: [] }]),
  );
  for (const group of grouped) {
    if (!isState(group.status)) continue;
    counts[group.status] += group._count._all;
    const row = rows.get(group.productGid);
    if (row) row.counts[group.status] += group._count._all;
  }
  for (const item of problems) {
    const state = item.status as ItemError["state"];
    rows.get(item.productGid)?.errors.push({
      itemId: item.id,
      presetId: item.presetId,
      candidateIndex: item.candidateIndex,
      state,
      kind: item.errorKind ?? "unknown",
      reason: item.errorMessage ?? "",
      paidMicros: Number(item.costMicros ?? 0n),
    });
  }

  const total = ITEM_STATES.reduce((sum, s) => sum + counts[s], 0);
  const settled = counts.succeeded + counts.failed + counts.blocked;
  const itemsPerMinute = measuredRate(batch.startedAt, settledTimes._min.finishedAt, settledTimes._max.finishedAt, settled);
  const remaining = counts.queued + counts.running;
  const open = batch.status === "running" || batch.status === "queued";

  return {
    id: batch.id,
    status: batch.status,
    pausedMessage: batch.status === "paused" ? await pausedMessage(deps, batch, spentMicros) : null,
    providerId: batch.providerId,
    model: batch.model,
    presetIds: JSON.parse(batch.presetIdsJson) as string[],
    candidatesPerProduct: batch.candidatesPerProduct,
    createdAt: batch.createdAt.toISOString(),
    startedAt: batch.startedAt?.toISOString() ?? null,
    finishedAt: batch.finishedAt?.toISOString() ?? null,
    total,
    counts,
    fraction: total > 0 ? (settled + counts.canceled) / total : 0,
    products: [...rows.values()],
    itemsPerMinute,
    etaSeconds: open ? eta(remaining, itemsPerMinute, deps.imagesPerMinute?.(batch.providerId)) : null,
    spentMicros,
    estimatedMicros: Number(batch.estimatedCostMicros),
  };
}

/**
 * Settled items per minute over the time they took: from the batch's start
 * (or the first settled item) to the last settled one.
 */
function measuredRate(startedAt: Date | null, firstSettled: Date | null, lastSettled: Date | null, settled: number): number | null {
  if (settled < 2 || !lastSettled) return null;
  const from = startedAt ?? firstSettled;
  if (!from) return null;
  const minutes = (lastSettled.getTime() - from.getTime()) / 60_000;
  return minutes > 0 ? settled / minutes : null;
}

function eta(remaining: number, measured: number | null, limit: number | undefined): number | null {
  if (remaining === 0) return 0;
  const rate = measured !== null && limit !== undefined ? Math.min(measured, limit) : (measured ?? limit ?? null);
  return rate !== null && rate > 0 ? Math.ceil((remaining / rate) * 60) : null;
}

async function pausedMessage(
  deps: ProgressDeps,
  batch: { shopId: string; pausedReason: string | null; budgetCapMicros: bigint | null; id: string },
  spentMicros: number,
): Promise<string> {
  switch (batch.pausedReason) {
    case "budget": {
      const budget = await shopBudget(deps.db, batch.shopId, deps.now());
      return (
        `Paused: this month's budget of ${formatMoney(budget.monthlyBudgetMicros)} has ${formatMoney(budget.remainingMicros)} left, ` +
        "not enough for the next image. Raise the budget or wait for next month, then resume."
      );
    }
    case "batch-cap": {
      const cap = Number(batch.budgetCapMicros ?? 0n);
      return `Paused: this batch has spent ${formatMoney(spentMicros)} of its ${formatMoney(cap)} cap (${formatMoney(Math.max(0, cap - spentMicros))} left), not enough for the next image.`;
    }
    case "quota": {
      const item = await deps.db.batchItem.findFirst({
        where: { batchId: batch.id, errorKind: "quota_exhausted" },
        orderBy: { updatedAt: "desc" },
        select: { errorMessage: true },
      });
      return `Paused: ${item?.errorMessage ?? "the image provider account has run out of credit or quota."} Add credit with the provider, then resume.`;
    }
    default:
      return "Paused by you. Resume to continue.";
  }
}
