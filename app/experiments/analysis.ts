import {
  compareRevenue,
  mixingVariance,
  msprtTwoProportions,
  probabilityToBeatControl,
  relativeLift,
  sampleRatioMismatch,
  sampleSizePerArm,
  twoProportionZTest,
  wilsonInterval,
  type Interval,
  type Proportion,
  type RevenueComparison,
  type SrmResult,
} from "./stats";

/** What the analysis needs about an experiment: its arms, per-day counts and buyers' revenues. */
export interface AnalysisArm {
  key: string;
  label: string;
  isControl: boolean;
  weight: number;
}

export interface DailyArmCounts {
  /** UTC day, YYYY-MM-DD. Visitors are counted on the day they were first exposed. */
  day: string;
  armKey: string;
  visitors: number;
  views: number;
  addToCarts: number;
  addToCartVisitors: number;
  orders: number;
  purchasers: number;
  revenue: number;
}

export interface AnalysisInput {
  arms: AnalysisArm[];
  daily: DailyArmCounts[];
  /** Per arm key: each buyer's total revenue. */
  buyerRevenues: Record<string, number[]>;
  alpha: number;
  /** The smallest relative lift worth finding, e.g. 0.1 for +10%. */
  relativeMde: number;
  /** The shop's minimum exposed visitors per arm before any arm is called better or worse. */
  minVisitorsPerArm: number;
}

export interface ArmResult {
  key: string;
  label: string;
  isControl: boolean;
  weight: number;
  visitors: number;
  views: number;
  addToCarts: number;
  addToCartVisitors: number;
  orders: number;
  purchasers: number;
  revenue: number;
  addToCartRate: number;
  addToCartInterval: Interval;
  purchaseRate: number;
  purchaseInterval: Interval;
  revenuePerVisitor: number;
  /** Versus control; null for the control itself. */
  comparison: null | {
    lift: number | null;
    purchaseLift: number | null;
    /** Always-valid p-value of the primary metric (running minimum over daily looks); the decision uses this. */
    sequentialPValue: number;
    zTest: { z: number; pValue: number };
    probabilityToBeatControl: number;
    purchaseZTest: { z: number; pValue: number };
    revenue: RevenueComparison;
  };
}

export type Decision =
  | { kind: "srm"; message: string }
  | { kind: "collecting"; message: string }
  | { kind: "variant_better"; armKey: string; message: string }
  | { kind: "control_better"; message: string };

export interface Analysis {
  arms: ArmResult[];
  srm: SrmResult;
  decision: Decision;
  /** Per comparison alpha after the Bonferroni split across variants. */
  comparisonAlpha: number;
  guidance: {
    baselineRate: number;
    visitorsPerArmNeeded: number | null;
    daysRemaining: number | null;
    message: string;
  };
  /** Cumulative add-to-cart rate per arm at the end of each day, for the chart. */
  series: Array<{ day: string; rates: Record<string, number | null> }>;
}

const EMPTY = { visitors: 0, views: 0, addToCarts: 0, addToCartVisitors: 0, orders: 0, purchasers: 0, revenue: 0 };
type Totals = typeof EMPTY;

function add(a: Totals, b: Totals): Totals {
  return {
    visitors: a.visitors + b.visitors,
    views: a.views + b.views,
    addToCarts: a.addToCarts + b.addToCarts,
    addToCartVisitors: a.addToCartVisitors + b.addToCartVisitors,
    orders: a.orders + b.orders,
    purchasers: a.purchasers + b.purchasers,
    revenue: a.revenue + b.revenue,
  };
}

const atc = (t: Totals): Proportion => ({ successes: Math.min(t.addToCartVisitors, t.visitors), trials: t.visitors });
const buy = (t: Totals): Proportion => ({ successes: Math.min(t.purchasers, t.visitors), trials: t.visitors });

function pct(x: number, digits = 0) {
  return `${(x * 100).toFixed(digits)}%`;
}

const count = (n: number) => n.toLocaleString("en-US");

/** "A", "A and B", "A, B and C". */
function listInWords(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

export function analyzeExperiment(input: AnalysisInput): Analysis {
  const control = input.arms.find((arm) => arm.isControl);
  if (!control) throw new Error("An experiment needs a control arm");
  const days = [...new Set(input.daily.map((d) => d.day))].sort();

  // Cumulative totals per arm at the end of each day (the "looks" of the sequential test).
  const running = new Map(input.arms.map((arm) => [arm.key, { ...EMPTY }]));
  const looks: Array<Map<string, Totals>> = [];
  const series: Analysis["series"] = [];
  for (const day of days) {
    for (const row of input.daily.filter((d) => d.day === day)) {
      const current = running.get(row.armKey);
      if (current) running.set(row.armKey, add(current, row));
    }
    looks.push(new Map([...running].map(([k, v]) => [k, { ...v }])));
    series.push({
      day,
      // null until an arm has a visitor: "no data yet" is not a 0% rate.
      rates: Object.fromEntries([...running].map(([k, v]) => [k, v.visitors ? atc(v).successes / v.visitors : null])),
    });
  }
  const totals = running;
  const controlTotals = totals.get(control.key)!;
  const variants = input.arms.filter((arm) => !arm.isControl);
  const comparisonAlpha = input.alpha / Math.max(1, variants.length);

  const arms: ArmResult[] = input.arms.map((arm) => {
    const t = totals.get(arm.key)!;
    const base = {
      ...arm,
      ...t,
      addToCartRate: t.visitors ? atc(t).successes / t.visitors : 0,
      addToCartInterval: wilsonInterval(atc(t).successes, t.visitors),
      purchaseRate: t.visitors ? buy(t).successes / t.visitors : 0,
      purchaseInterval: wilsonInterval(buy(t).successes, t.visitors),
      revenuePerVisitor: t.visitors ? t.revenue / t.visitors : 0,
    };
    if (arm.isControl) return { ...base, comparison: null };
    let sequential = 1;
    for (const look of looks) {
      const c = look.get(control.key)!;
      const v = look.get(arm.key)!;
      const baseline = (c.addToCartVisitors + v.addToCartVisitors) / Math.max(1, c.visitors + v.visitors);
      const tau2 = mixingVariance(baseline, input.relativeMde);
      sequential = Math.min(sequential, msprtTwoProportions(atc(c), atc(v), tau2).pValue);
    }
    return {
      ...base,
      comparison: {
        lift: relativeLift(atc(controlTotals), atc(t)),
        purchaseLift: relativeLift(buy(controlTotals), buy(t)),
        sequentialPValue: sequential,
        zTest: twoProportionZTest(atc(controlTotals), atc(t)),
        probabilityToBeatControl: probabilityToBeatControl(atc(controlTotals), atc(t)),
        purchaseZTest: twoProportionZTest(buy(controlTotals), buy(t)),
        revenue: compareRevenue(
          { visitors: controlTotals.visitors, buyerRevenues: input.buyerRevenues[control.key] ?? [] },
          { visitors: t.visitors, buyerRevenues: input.buyerRevenues[arm.key] ?? [] },
        ),
      },
    };
  });

  const srm = sampleRatioMismatch(
    input.arms.map((arm) => totals.get(arm.key)!.visitors),
    input.arms.map((arm) => arm.weight),
  );
  const confidence = pct(1 - input.alpha);
  let decision: Decision;
  // The merchant's floor: a sequential test may already be sure, but no arm is called before each has this many visitors.
  const shortArms = arms.filter((arm) => arm.visitors < input.minVisitorsPerArm);
  const significant = arms.filter((arm) => arm.comparison && arm.comparison.sequentialPValue <= comparisonAlpha);
  const winners = significant.filter((arm) => arm.addToCartRate > controlTotals.addToCartVisitors / Math.max(1, controlTotals.visitors));
  if (srm.mismatch) {
    decision = {
      kind: "srm",
      message: `Sample ratio mismatch — do not trust these numbers (visitors per arm differ from the configured split, p = ${srm.pValue.toExponential(1)}).`,
    };
  } else if (shortArms.length) {
    const needs = shortArms.map((arm) => {
      const more = input.minVisitorsPerArm - arm.visitors;
      return `${arm.label} needs ${count(more)} more visitor${more === 1 ? "" : "s"}`;
    });
    decision = {
      kind: "collecting",
      message: `Keep collecting: ${listInWords(needs)} (no result is called before every arm has ${count(input.minVisitorsPerArm)}, as set in Settings).`,
    };
  } else if (winners.length) {
    const best = winners.reduce((a, b) => (b.addToCartRate > a.addToCartRate ? b : a));
    decision = { kind: "variant_better", armKey: best.key, message: `${best.label} is better with ${confidence} confidence.` };
  } else if (variants.length && significant.length === variants.length) {
    decision = { kind: "control_better", message: `The control is better than every variant with ${confidence} confidence.` };
  } else {
    decision = { kind: "collecting", message: "Keep collecting: no arm is different yet with the confidence required." };
  }

  const baselineRate = controlTotals.visitors ? controlTotals.addToCartVisitors / controlTotals.visitors : 0;
  const needed = baselineRate > 0 && baselineRate < 1 ? sampleSizePerArm(baselineRate, input.relativeMde, comparisonAlpha) : null;
  const visitorsPerDay = days.length ? [...totals.values()].reduce((s, t) => s + t.visitors, 0) / days.length : 0;
  const minArm = Math.min(...input.arms.map((arm) => totals.get(arm.key)!.visitors));
  const weightSum = input.arms.reduce((s, a) => s + a.weight, 0);
  const slowestShare = Math.min(...input.arms.map((arm) => arm.weight / weightSum));
  const daysRemaining =
    needed !== null && visitorsPerDay > 0 ? Math.max(0, Math.ceil((needed - minArm) / (visitorsPerDay * slowestShare))) : null;
  const message =
    needed === null
      ? "Not enough data yet to estimate how many visitors this test needs."
      : `At the current ${pct(baselineRate, 1)} add-to-cart rate, finding a ${pct(input.relativeMde)} lift needs about ${count(needed)} visitors per arm` +
        (daysRemaining === null ? "." : `; at current traffic that is about ${daysRemaining} more day${daysRemaining === 1 ? "" : "s"}.`);

  return {
    arms,
    srm,
    decision,
    comparisonAlpha,
    guidance: { baselineRate, visitorsPerArmNeeded: needed, daysRemaining, message },
    series,
  };
}
