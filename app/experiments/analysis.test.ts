import { describe, expect, it } from "vitest";
import { analyzeExperiment, type DailyArmCounts } from "./analysis";

const arms = [
  { key: "control", label: "Control", isControl: true, weight: 50 },
  { key: "b", label: "Variant B", isControl: false, weight: 50 },
];

const unevenArms = [
  { key: "control", label: "Control", isControl: true, weight: 70 },
  { key: "b", label: "Variant B", isControl: false, weight: 30 },
];

function day(dayIndex: number, armKey: string, visitors: number, addToCartVisitors: number): DailyArmCounts {
  const date = new Date(Date.UTC(2026, 10, 1 + dayIndex)).toISOString().slice(0, 10);
  return { day: date, armKey, visitors, views: visitors, addToCarts: addToCartVisitors, addToCartVisitors, orders: 0, purchasers: 0, revenue: 0 };
}

describe("analyzeExperiment", () => {
  it("keeps collecting on equal arms and says how many visitors a +10% lift needs", () => {
    const daily = Array.from({ length: 5 }, (_, i) => [day(i, "control", 1000, 50), day(i, "b", 1000, 51)]).flat();
    const result = analyzeExperiment({ arms, daily, buyerRevenues: {}, alpha: 0.05, relativeMde: 0.1, minVisitorsPerArm: 100 });
    expect(result.decision.kind).toBe("collecting");
    expect(result.guidance.visitorsPerArmNeeded).toBeGreaterThan(25_000);
    expect(result.guidance.message).toMatch(/visitors per arm/);
    expect(result.guidance.daysRemaining).toBeGreaterThan(10);
    expect(result.series).toHaveLength(5);
  });
  it("names the better variant once the sequential test is sure", () => {
    const daily = Array.from({ length: 10 }, (_, i) => [day(i, "control", 1000, 50), day(i, "b", 1000, 75)]).flat();
    const result = analyzeExperiment({ arms, daily, buyerRevenues: {}, alpha: 0.05, relativeMde: 0.1, minVisitorsPerArm: 100 });
    expect(result.decision).toMatchObject({ kind: "variant_better", armKey: "b", message: "Variant B is better with 95% confidence." });
    const b = result.arms.find((a) => a.key === "b")!;
    expect(b.comparison!.lift).toBeCloseTo(0.5, 10);
    expect(b.comparison!.probabilityToBeatControl).toBeGreaterThan(0.99);
  });
  it("warns of a sample ratio mismatch before anything else", () => {
    const daily = Array.from({ length: 10 }, (_, i) => [day(i, "control", 1000, 50), day(i, "b", 800, 75)]).flat();
    const result = analyzeExperiment({ arms, daily, buyerRevenues: {}, alpha: 0.05, relativeMde: 0.1, minVisitorsPerArm: 100 });
    expect(result.srm.mismatch).toBe(true);
    expect(result.decision.kind).toBe("srm");
    expect(result.decision.message).toMatch(/^Sample ratio mismatch — do not trust these numbers/);
  });
  it("says the control is better when every variant is significantly worse", () => {
    const daily = Array.from({ length: 10 }, (_, i) => [day(i, "control", 1000, 80), day(i, "b", 1000, 50)]).flat();
    const result = analyzeExperiment({ arms, daily, buyerRevenues: {}, alpha: 0.05, relativeMde: 0.1, minVisitorsPerArm: 100 });
    expect(result.decision.kind).toBe("control_better");
  });
  it("charts the cumulative add-to-cart rate per arm, with no point before an arm's first visitor", () => {
    const daily = [day(0, "control", 10, 1), day(1, "control", 30, 3), day(1, "b", 20, 4), day(2, "control", 60, 2), day(2, "b", 20, 0)];
    const result = analyzeExperiment({ arms, daily, buyerRevenues: {}, alpha: 0.05, relativeMde: 0.1, minVisitorsPerArm: 100 });
    expect(result.series.map((s) => s.day)).toEqual(["2026-11-01", "2026-11-02", "2026-11-03"]);
    expect(result.series.map((s) => s.rates)).toEqual([
      { control: 0.1, b: null },
      { control: 0.1, b: 0.2 },
      { control: 0.06, b: 0.1 },
    ]);
    // The chart ends where the table's rate is.
    for (const arm of result.arms) expect(result.series.at(-1)!.rates[arm.key]).toBeCloseTo(arm.addToCartRate, 12);
  });

  describe("the shop's minimum visitors per arm", () => {
    // Control 5%, Variant B 7.5% over 10 days: 14,000 and 6,000 visitors, far past the sequential test's threshold.
    const daily = Array.from({ length: 10 }, (_, i) => [day(i, "control", 1400, 70), day(i, "b", 600, 45)]).flat();
    const analyze = (minVisitorsPerArm: number) => analyzeExperiment({ arms: unevenArms, daily, buyerRevenues: {}, alpha: 0.05, relativeMde: 0.1, minVisitorsPerArm });

    it("calls no winner until every arm has it, and says how many more each short arm needs", () => {
      expect(analyze(6_000).decision).toMatchObject({ kind: "variant_better", armKey: "b" });
      const short = analyze(7_240);
      expect(short.arms.find((a) => a.key === "b")!.comparison!.sequentialPValue).toBeLessThan(0.05);
      expect(short.decision).toEqual({
        kind: "collecting",
        message: "Keep collecting: Variant B needs 1,240 more visitors (no result is called before every arm has 7,240, as set in Settings).",
      });
      expect(analyze(14_001).decision.message).toMatch(/^Keep collecting: Control needs 1 more visitor and Variant B needs 8,001 more visitors \(/);
    });

    it("holds back a worse variant too", () => {
      const worse = Array.from({ length: 10 }, (_, i) => [day(i, "control", 1000, 80), day(i, "b", 1000, 50)]).flat();
      const result = analyzeExperiment({ arms, daily: worse, buyerRevenues: {}, alpha: 0.05, relativeMde: 0.1, minVisitorsPerArm: 10_001 });
      expect(result.decision.kind).toBe("collecting");
      expect(result.decision.message).toMatch(/^Keep collecting: Control needs 1 more visitor and Variant B needs 1 more visitor /);
    });

    it("still warns of a sample ratio mismatch before the minimum is reached", () => {
      const skewed = Array.from({ length: 3 }, (_, i) => [day(i, "control", 1000, 50), day(i, "b", 800, 40)]).flat();
      const result = analyzeExperiment({ arms, daily: skewed, buyerRevenues: {}, alpha: 0.05, relativeMde: 0.1, minVisitorsPerArm: 100_000 });
      expect(result.decision.kind).toBe("srm");
    });
  });
});
