import type { Db } from "~/db/client.server";

/** Budgets run per calendar month in UTC, so every worker agrees where a month starts. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export interface BudgetState {
  monthlyBudgetMicros: number;
  spentThisMonthMicros: number;
  remainingMicros: number;
}

export async function shopBudget(db: Pick<Db, "shop" | "costLedgerEntry">, shopId: string, now: Date): Promise<BudgetState> {
  const [shop, spent] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { monthlyBudgetMicros: true } }),
    db.costLedgerEntry.aggregate({ where: { shopId, createdAt: { gte: monthStart(now) } }, _sum: { amountMicros: true } }),
  ]);
  const monthlyBudgetMicros = Number(shop.monthlyBudgetMicros);
  const spentThisMonthMicros = Number(spent._sum.amountMicros ?? 0n);
  return { monthlyBudgetMicros, spentThisMonthMicros, remainingMicros: Math.max(0, monthlyBudgetMicros - spentThisMonthMicros) };
}

/** What the items of one batch have cost so far (ledger entries are per item). */
export async function batchSpentMicros(db: Pick<Db, "batchItem">, batchId: string): Promise<number> {
  const spent = await db.batchItem.aggregate({ where: { batchId, costMicros: { not: null } }, _sum: { costMicros: true } });
  return Number(spent._sum.costMicros ?? 0n);
}
