import {
  chiSquareSf,
  logBeta,
  normalCdf,
  normalQuantile,
  studentTTwoSided,
} from "./stats-distributions";

/**
 * Experiment statistics. The decision rule is an always-valid sequential test
 * (mSPRT, Johari et al. 2017, "Peeking at A/B tests"), so a merchant may look
 * every day without inflating false positives; the classical fixed-horizon
 * z-test and the Bayesian probability to beat control are shown beside it
 * for people who know them, but never decide. See docs/decisions/009-ab-testing.md.
 */

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for a binomial proportion (good at small counts and rates near 0, unlike Wald). */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface Proportion {
  successes: number;
  trials: number;
}

function rate({ successes, trials }: Proportion): number {
  return trials > 0 ? successes / trials : 0;
}

/** Relative lift of the variant's rate over the control's; null when the control's rate is 0. */
export function relativeLift(control: Proportion, variant: Proportion): number | null {
  const c = rate(control);
  return c > 0 ? rate(variant) / c - 1 : null;
}

export interface ZTest {
  z: number;
  pValue: number;
}

/** Fixed-horizon two-proportion z-test, pooled variance, two-sided. Valid only when looked at once. */
export function twoProportionZTest(control: Proportion, variant: Proportion): ZTest {
  const { trials: n1 } = control;
  const { trials: n2 } = variant;
  if (n1 === 0 || n2 === 0) return { z: 0, pValue: 1 };
  const pooled = (control.successes + variant.successes) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (rate(variant) - rate(control)) / se;
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}

export interface MsprtResult {
  /** The mixture likelihood ratio Λ; the null is rejected once Λ ≥ 1/α. */
  lambda: number;
  /** 1/Λ capped at 1 (the always-valid p-value before taking the running minimum). */
  pValue: number;
  /** Variant rate minus control rate. */
  difference: number;
}

/**
 * mSPRT for the difference of two proportions, normal approximation with the
 * pooled (null) variance and a N(0, τ²) mixing distribution over the true
 * difference: Λ = √(V/(V+τ²)) · exp(τ²·θ̂² / (2V(V+τ²))).
 * Below a minimum sample the normal approximation is not trusted and Λ = 1.
 */
export function msprtTwoProportions(control: Proportion, variant: Proportion, tau2: number): MsprtResult {
  const difference = rate(variant) - rate(control);
  const n1 = control.trials;
  const n2 = variant.trials;
  const conversions = control.successes + variant.successes;
  if (n1 < MIN_VISITORS_PER_ARM || n2 < MIN_VISITORS_PER_ARM || conversions < MIN_CONVERSIONS || !(tau2 > 0)) {
    return { lambda: 1, pValue: 1, difference };
  }
  const pooled = conversions / (n1 + n2);
  const v = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (v === 0) return { lambda: 1, pValue: 1, difference };
  const logLambda = 0.5 * Math.log(v / (v + tau2)) + (tau2 * difference * difference) / (2 * v * (v + tau2));
  const lambda = Math.exp(logLambda);
  return { lambda, pValue: Math.min(1, 1 / lambda), difference };
}

export const MIN_VISITORS_PER_ARM = 100;
export const MIN_CONVERSIONS = 10;

/**
 * The mixing variance: a normal prior on the absolute difference whose
 * standard deviation is the minimum detectable effect at the baseline rate,
 * so the test is most powerful for effects of the size the merchant cares
 * about (Johari et al. §4).
 */
export function mixingVariance(baselineRate: number, relativeMde: number): number {
  const sd = Math.max(baselineRate, 0.001) * relativeMde;
  return sd * sd;
}

/**
 * The always-valid p-value over a sequence of looks (cumulative counts at each
 * look): the running minimum of 1/Λ. It may be read at any look, or every day,
 * and P(ever ≤ α | no difference) ≤ α.
 */
export function sequentialPValue(looks: Array<{ control: Proportion; variant: Proportion }>, tau2: number): number {
  let p = 1;
  for (const look of looks) p = Math.min(p, msprtTwoProportions(look.control, look.variant, tau2).pValue);
  return p;
}

/**
 * P(variant's true rate > control's) under independent Beta(1+x, 1+n−x)
 * posteriors (uniform priors). Exact closed-form sum (Evan Miller) while the
 * variant's successes are few enough; beyond that the posteriors are so close
 * to normal that the normal approximation agrees to ~1e-4.
 */
export function probabilityToBeatControl(control: Proportion, variant: Proportion): number {
  const aA = 1 + control.successes;
  const bA = 1 + control.trials - control.successes;
  const aB = 1 + variant.successes;
  const bB = 1 + variant.trials - variant.successes;
  if (aB <= 5_000) {
    let total = 0;
    const lbA = logBeta(aA, bA);
    for (let i = 0; i < aB; i++) {
      total += Math.exp(logBeta(aA + i, bA + bB) - Math.log(bB + i) - logBeta(1 + i, bB) - lbA);
    }
    return Math.min(1, Math.max(0, total));
  }
  const mean = (a: number, b: number) => a / (a + b);
  const variance = (a: number, b: number) => (a * b) / ((a + b) ** 2 * (a + b + 1));
  const diff = mean(aB, bB) - mean(aA, bA);
  return normalCdf(diff / Math.sqrt(variance(aA, bA) + variance(aB, bB)));
}

/** Sample-ratio mismatch: chi-square goodness of fit of visitors per arm against the configured weights. */
export interface SrmResult {
  chiSquare: number;
  pValue: number;
  /** True when p < SRM_THRESHOLD: the assignment or the counting is broken and no result should be trusted. */
  mismatch: boolean;
}

/** The conventional SRM threshold: strict, because a false alarm stops a healthy test. */
export const SRM_THRESHOLD = 0.001;

export function sampleRatioMismatch(visitors: number[], weights: number[]): SrmResult {
  const total = visitors.reduce((a, b) => a + b, 0);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || weightSum <= 0 || visitors.length < 2) return { chiSquare: 0, pValue: 1, mismatch: false };
  let chi = 0;
  visitors.forEach((observed, i) => {
    const expected = (total * weights[i]!) / weightSum;
    if (expected > 0) chi += (observed - expected) ** 2 / expected;
  });
  const pValue = chiSquareSf(chi, visitors.length - 1);
  return { chiSquare: chi, pValue, mismatch: pValue < SRM_THRESHOLD };
}

/**
 * Revenue per visitor. Per-visitor revenue is mostly zeros with a long tail,
 * so the difference of means is reported with its Welch interval, but tested
 * with Welch's t on log(1 + revenue), which a few large orders cannot
 * dominate. Only buyers' revenues are passed; everyone else spent 0.
 */
export interface RevenueSample {
  visitors: number;
  /** Revenue of each visitor who bought (in currency units), one entry per buyer. */
  buyerRevenues: number[];
}

export interface RevenueComparison {
  controlPerVisitor: number;
  variantPerVisitor: number;
  difference: number;
  differenceInterval: Interval;
  /** Welch's t-test on log1p(revenue), two-sided. */
  pValue: number;
}

function moments(sample: RevenueSample, f: (x: number) => number) {
  let sum = 0;
  let sumSq = 0;
  for (const r of sample.buyerRevenues) {
    const y = f(r);
    sum += y;
    sumSq += y * y;
  }
  const n = sample.visitors;
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
  return { n, mean, variance };
}

function welch(a: { n: number; mean: number; variance: number }, b: { n: number; mean: number; variance: number }) {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return { se, df };
}

export function compareRevenue(control: RevenueSample, variant: RevenueSample, confidence = 0.95): RevenueComparison {
  const raw = [moments(control, (x) => x), moments(variant, (x) => x)] as const;
  const difference = raw[1].mean - raw[0].mean;
  const base = { controlPerVisitor: raw[0].mean, variantPerVisitor: raw[1].mean, difference };
  if (control.visitors < 2 || variant.visitors < 2) {
    return { ...base, differenceInterval: { low: -Infinity, high: Infinity }, pValue: 1 };
  }
  const rawWelch = welch(raw[0], raw[1]);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const differenceInterval = { low: difference - z * rawWelch.se, high: difference + z * rawWelch.se };
  const logs = [moments(control, Math.log1p), moments(variant, Math.log1p)] as const;
  const logWelch = welch(logs[0], logs[1]);
  const pValue = logWelch.se > 0 ? studentTTwoSided((logs[1].mean - logs[0].mean) / logWelch.se, logWelch.df) : 1;
  return { ...base, differenceInterval, pValue };
}

/**
 * Visitors needed per arm to detect a relative lift `relativeMde` over
 * `baselineRate` with a two-sided fixed-horizon test (the classical formula;
 * the sequential test needs somewhat more, so this is a floor).
 */
export function sampleSizePerArm(baselineRate: number, relativeMde: number, alpha = 0.05, power = 0.8): number {
  const p1 = baselineRate;
  const p2 = baselineRate * (1 + relativeMde);
  const pBar = (p1 + p2) / 2;
  const zA = normalQuantile(1 - alpha / 2);
  const zB = normalQuantile(power);
  const n = (zA * Math.sqrt(2 * pBar * (1 - pBar)) + zB * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p2 - p1) ** 2;
  return Math.ceil(n);
}
