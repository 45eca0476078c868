import type { Db } from "~/db/client.server";
import { getShopSettings } from "~/settings/settings.server";
import { analyzeExperiment, type Analysis } from "./analysis";

/**
 * The analysis of one experiment from its daily aggregates and buyers' revenues (tenant-walled by shopId),
 * under the shop's current minimum visitors per arm. Raw events are never read: they are pruned after the
 * shop's retention period, and these numbers must not change when they are.
 */
export async function experimentResults(db: Db, shopId: string, experiment: { id: string; alpha: number; relativeMde: number; arms: Array<{ key: string; label: string; isControl: boolean; weight: number }> }): Promise<Analysis> {
  const [daily, buyers, settings] = await Promise.all([
    db.experimentDailyAggregate.findMany({ where: { shopId, experimentId: experiment.id }, orderBy: { day: "asc" } }),
    db.experimentVisitor.findMany({ where: { shopId, experimentId: experiment.id, purchased: true }, select: { armKey: true, revenueMicros: true } }),
    getShopSettings(db, shopId),
  ]);
  const buyerRevenues: Record<string, number[]> = {};
  for (const buyer of buyers) (buyerRevenues[buyer.armKey] ??= []).push(Number(buyer.revenueMicros) / 1_000_000);
  return analyzeExperiment({
    arms: experiment.arms.map(({ key, label, isControl, weight }) => ({ key, label, isControl, weight })),
    daily: daily.map((d) => ({ ...d, revenue: Number(d.revenueMicros) / 1_000_000 })),
    buyerRevenues,
    alpha: experiment.alpha,
    relativeMde: experiment.relativeMde,
    minVisitorsPerArm: settings.ab.minVisitorsPerVariant,
  });
}
