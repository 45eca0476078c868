import { describe, expect, it } from "vitest";
import {
  chiSquareSf,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  seededRandom,
  studentTTwoSided,
} from "./stats-distributions";
import {
  compareRevenue,
  mixingVariance,
  msprtTwoProportions,
  probabilityToBeatControl,
  relativeLift,
  sampleRatioMismatch,
  sampleSizePerArm,
  sequentialPValue,
  twoProportionZTest,
  wilsonInterval,
} from "./stats";

// Reference values computed independently with SciPy 1.17 (scipy.stats / scipy.special).
describe("distribution functions against SciPy", () => {
  it("normal CDF and quantile", () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 7);
    expect(normalCdf(-3.1)).toBeCloseTo(0.0009676032132183563, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 7);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 5);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080409, 7);
  });
  it("log-gamma, incomplete beta, Student t, chi-square", () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5723649429247, 10);
    expect(logGamma(123.4)).toBeCloseTo(469.3360974421906, 8);
    expect(regularizedBeta(0.4, 2.5, 3.5)).toBeCloseTo(0.4869041915261176, 10);
    expect(regularizedBeta(0.2, 50, 200)).toBeCloseTo(0.5126237681513187, 9);
    expect(studentTTwoSided(2.1, 7.3)).toBeCloseTo(0.0722467134248534, 9);
    expect(studentTTwoSided(1.5, 1000)).toBeCloseTo(0.13393003882208626, 9);
    expect(chiSquareSf(3.84, 1)).toBeCloseTo(0.05004352124870519, 7);
    expect(chiSquareSf(12.3, 2)).toBeCloseTo(0.002133481770037708, 9);
    expect(chiSquareSf(0.5, 3)).toBeCloseTo(0.9188914116546758, 9);
  });
});

describe("per-arm rates", () => {
  it("Wilson intervals match SciPy's binomtest(...).proportion_ci(method='wilson')", () => {
    const a = wilsonInterval(81, 263);
    expect(a.low).toBeCloseTo(0.2552885198782742, 6);
    expect(a.high).toBeCloseTo(0.36620957698280004, 6);
    const b = wilsonInterval(0, 50);
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.07134759913335872, 6);
    const c = wilsonInterval(20, 1000);
    expect(c.low).toBeCloseTo(0.012983682916415135, 6);
    expect(c.high).toBeCloseTo(0.030690005229717786, 6);
  });
  it("relative lift", () => {
    expect(relativeLift({ successes: 200, trials: 10_000 }, { successes: 250, trials: 10_000 })).toBeCloseTo(0.25, 10);
    expect(relativeLift({ successes: 0, trials: 100 }, { successes: 3, trials: 100 })).toBeNull();
  });
});

describe("tests beside the decision", () => {
  it("pooled two-proportion z-test", () => {
    const r = twoProportionZTest({ successes: 200, trials: 10_000 }, { successes: 250, trials: 10_000 });
    expect(r.z).toBeCloseTo(2.3839951328405053, 6);
    expect(r.pValue).toBeCloseTo(0.01712582887219501, 6);
  });
  it("probability to beat control matches numerical integration of the Beta posteriors", () => {
    expect(probabilityToBeatControl({ successes: 200, trials: 10_000 }, { successes: 250, trials: 10_000 })).toBeCloseTo(0.9914227751048807, 6);
    expect(probabilityToBeatControl({ successes: 10, trials: 100 }, { successes: 15, trials: 100 })).toBeCloseTo(0.8532837899329662, 6);
    expect(probabilityToBeatControl({ successes: 1000, trials: 50_000 }, { successes: 1060, trials: 50_000 })).toBeCloseTo(0.9091454470816932, 5);
    // Beyond the exact sum's range the normal approximation takes over.
    const big = probabilityToBeatControl({ successes: 10_000, trials: 500_000 }, { successes: 10_300, trials: 500_000 });
    expect(big).toBeGreaterThan(0.98);
    expect(big).toBeLessThan(0.995);
  });
  it("sample-ratio mismatch matches scipy.stats.chisquare", () => {
    const ok = sampleRatioMismatch([5100, 4900], [50, 50]);
    expect(ok.chiSquare).toBeCloseTo(4, 10);
    expect(ok.pValue).toBeCloseTo(0.04550026389635857, 8);
    expect(ok.mismatch).toBe(false);
    const bad = sampleRatioMismatch([5300, 4700], [50, 50]);
    expect(bad.pValue).toBeCloseTo(1.9731752900753933e-9, 12);
    expect(bad.mismatch).toBe(true);
    const three = sampleRatioMismatch([3000, 3100, 3900], [30, 30, 40]);
    expect(three.chiSquare).toBeCloseTo(5.833333333333334, 10);
    expect(three.pValue).toBeCloseTo(0.05411376622282158, 8);
  });
  it("revenue: Welch on log1p matches scipy.stats.ttest_ind(equal_var=False); mean difference with its interval", () => {
    const control = [46.79, 75.31, 46.08, 9.0, 81.89, 51.75, 19.36, 59.21, 47.68, 44.44, 34.07, 57.21, 15.86, 28.14, 20.45, 60.27, 34.46, 24.72, 15.15, 25.61, 33.39, 25.14, 120.79, 90.62, 2.2, 5.01, 27.81, 21.71, 41.0, 41.15, 275.29, 10.89, 22.7, 255.38, 63.23, 64.27, 19.81, 6.37, 39.15, 36.93];
    const variant = [9.71, 16.72, 30.81, 12.87, 30.02, 36.43, 34.32, 19.96, 59.96, 80.73, 45.64, 14.61, 68.83, 20.06, 79.77, 11.34, 82.64, 32.46, 9.5, 24.19, 34.96, 43.5, 12.4, 10.94, 40.43, 20.76, 41.91, 70.78, 6.37, 42.71, 112.69, 24.59, 14.72, 70.26, 42.67, 81.12, 23.45, 7.52, 29.67, 21.2, 71.9, 40.19, 6.48, 10.02, 80.14, 65.35, 17.46, 33.08, 51.71, 52.9, 79.54, 42.8, 30.12, 25.56, 95.18];
    const r = compareRevenue({ visitors: 500, buyerRevenues: control }, { visitors: 520, buyerRevenues: variant });
    expect(r.pValue).toBeCloseTo(0.20525217261393894, 6);
    expect(r.controlPerVisitor).toBeCloseTo(4.00058, 8);
    expect(r.variantPerVisitor).toBeCloseTo(4.183942307692308, 8);
    const se = 1.133105911334929;
    expect(r.differenceInterval.high - r.difference).toBeCloseTo(1.959963984540054 * se, 5);
  });
  it("sample size per arm: the classical formula (SciPy), incl. the 2% / +10% ≈ 80,000 per arm example", () => {
    expect(sampleSizePerArm(0.02, 0.1)).toBe(Math.ceil(80681.38028240808));
    expect(sampleSizePerArm(0.05, 0.2)).toBe(Math.ceil(8157.73144784928));
    expect(sampleSizePerArm(0.1, 0.05, 0.025, 0.9)).toBe(Math.ceil(91338.02011226336));
  });
});

describe("mSPRT", () => {
  it("the mixture likelihood ratio in closed form", () => {
    const control = { successes: 200, trials: 10_000 };
    const variant = { successes: 250, trials: 10_000 };
    const tau2 = 0.002 ** 2;
    const p = 450 / 20_000;
    const v = p * (1 - p) * (2 / 10_000);
    const theta = 0.005;
    const expected = Math.sqrt(v / (v + tau2)) * Math.exp((tau2 * theta * theta) / (2 * v * (v + tau2)));
    const r = msprtTwoProportions(control, variant, tau2);
    expect(r.lambda).toBeCloseTo(expected, 8);
    expect(r.pValue).toBeCloseTo(1 / expected, 8);
    // Stricter than the fixed-horizon test on the same data: it pays for being allowed to peek.
    expect(r.pValue).toBeGreaterThan(twoProportionZTest(control, variant).pValue);
  });
  it("does not decide on tiny samples", () => {
    expect(msprtTwoProportions({ successes: 0, trials: 50 }, { successes: 9, trials: 50 }, 0.01).pValue).toBe(1);
  });
});

/** Binomial draw by summing Bernoullis (small n per day keeps this cheap and exact). */
function binomial(random: () => number, n: number, p: number) {
  let k = 0;
  for (let i = 0; i < n; i++) if (random() < p) k++;
  return k;
}

/**
 * Experiments with identical arms, looked at every day for 30 days. A naive
 * merchant who stops the first day a fixed-horizon z-test says p < 0.05 is
 * wrong far more often than 5%; the mSPRT's running p-value stays under α.
 */
describe("simulation: daily peeking with no true difference", () => {
  const alpha = 0.05;
  const simulations = 1000;
  const days = 30;
  const perArmPerDay = 150;
  const rate = 0.06;
  const random = seededRandom(20261126);
  let sequentialFalsePositives = 0;
  let naiveFalsePositives = 0;
  let singleLookFalsePositives = 0;
  for (let s = 0; s < simulations; s++) {
    const control = { successes: 0, trials: 0 };
    const variant = { successes: 0, trials: 0 };
    const looks: Array<{ control: typeof control; variant: typeof variant }> = [];
    let naiveRejected = false;
    for (let d = 0; d < days; d++) {
      control.trials += perArmPerDay;
      control.successes += binomial(random, perArmPerDay, rate);
      variant.trials += perArmPerDay;
      variant.successes += binomial(random, perArmPerDay, rate);
      looks.push({ control: { ...control }, variant: { ...variant } });
      if (twoProportionZTest(control, variant).pValue < alpha) naiveRejected = true;
    }
    const pooled = (control.successes + variant.successes) / (control.trials + variant.trials);
    if (sequentialPValue(looks, mixingVariance(pooled, 0.1)) <= alpha) sequentialFalsePositives++;
    if (naiveRejected) naiveFalsePositives++;
    if (twoProportionZTest(control, variant).pValue < alpha) singleLookFalsePositives++;
  }

  it("mSPRT with daily looks keeps the false-positive rate at or under alpha", () => {
    expect(sequentialFalsePositives / simulations).toBeLessThanOrEqual(alpha);
  });
  it("repeated fixed-horizon testing inflates it several-fold", () => {
    expect(naiveFalsePositives / simulations).toBeGreaterThan(2.5 * alpha);
  });
  it("the fixed-horizon test looked at once is calibrated (the simulation itself is sound)", () => {
    const single = singleLookFalsePositives / simulations;
    expect(single).toBeGreaterThan(0.025);
    expect(single).toBeLessThan(0.075);
  });
});

describe("simulation: a real +30% lift", () => {
  it("mSPRT finds it in most experiments", () => {
    const random = seededRandom(7);
    let found = 0;
    const simulations = 200;
    for (let s = 0; s < simulations; s++) {
      const control = { successes: 0, trials: 0 };
      const variant = { successes: 0, trials: 0 };
      const looks = [];
      for (let d = 0; d < 30; d++) {
        control.trials += 300;
        control.successes += binomial(random, 300, 0.05);
        variant.trials += 300;
        variant.successes += binomial(random, 300, 0.065);
        looks.push({ control: { ...control }, variant: { ...variant } });
      }
      if (sequentialPValue(looks, mixingVariance(0.0575, 0.3)) <= 0.05) found++;
    }
    expect(found / simulations).toBeGreaterThan(0.7);
  });
});
