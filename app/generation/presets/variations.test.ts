import { describe, expect, it } from "vitest";
import { PRESET_LIBRARY } from "./library";
import { BODY_TYPES } from "./model-attributes";
import type { Preset } from "./types";
import { MAX_CANDIDATES, planVariations } from "./variations";

function preset(id: string): Preset {
  const found = PRESET_LIBRARY.find((p) => p.id === id);
  if (!found) throw new Error(`no preset ${id}`);
  return found;
}

describe("planVariations", () => {
  it("is deterministic for the same seed and differs for another seed", () => {
    const p = preset("lifestyle-kitchen");
    expect(planVariations({ preset: p, count: 3, seed: 1234 })).toEqual(planVariations({ preset: p, count: 3, seed: 1234 }));
    const seeds = new Set(
      Array.from({ length: 20 }, (_, s) => JSON.stringify(planVariations({ preset: p, count: 3, seed: s }).map((v) => [v.scene, v.angle]))),
    );
    expect(seeds.size).toBeGreaterThan(1);
  });

  it("gives candidates distinct scenes, angles and light directions while they last", () => {
    const p = preset("lifestyle-kitchen");
    const plan = planVariations({ preset: p, count: 3, seed: 99 });
    expect(new Set(plan.map((v) => v.scene)).size).toBe(3);
    expect(new Set(plan.map((v) => v.angle)).size).toBe(3);
    expect(new Set(plan.map((v) => v.studioScene.light)).size).toBe(3);
    expect(plan[0]?.studioScene.light).toBe(p.studioScene.light);
    expect(new Set(plan.map((v) => v.seed)).size).toBe(3);
    for (const v of plan) {
      expect(p.scenes).toContain(v.scene);
      expect(Number.isInteger(v.seed) && v.seed >= 0 && v.seed < 2 ** 32).toBe(true);
      expect(v.model).toBeUndefined();
    }
  });

  it("spreads 4 on-model candidates over 4 distinct Monk tones across the scale and distinct body types", () => {
    for (let seed = 0; seed < 200; seed++) {
      const plan = planVariations({ preset: preset("on-model-apparel"), count: 4, seed });
      const tones = plan.map((v) => v.model?.skinTone ?? 0).sort((a, b) => a - b);
      expect(new Set(tones).size).toBe(4);
      // One tone from each quarter of the scale: 1-2, 3-5, 6-7, 8-10.
      expect(tones[0]).toBeLessThanOrEqual(2);
      expect(tones[1]).toBeGreaterThanOrEqual(3);
      expect(tones[1]).toBeLessThanOrEqual(5);
      expect(tones[2]).toBeGreaterThanOrEqual(6);
      expect(tones[2]).toBeLessThanOrEqual(7);
      expect(tones[3]).toBeGreaterThanOrEqual(8);
      expect(new Set(plan.map((v) => v.model?.bodyType)).size).toBe(4);
      expect(new Set(plan.map((v) => v.model?.pose)).size).toBe(4);
      expect(plan.every((v) => v.model?.genderPresentation === undefined)).toBe(true);
    }
  });

  it("covers all ten tones with ten candidates", () => {
    const plan = planVariations({ preset: preset("on-model-jewelry"), count: MAX_CANDIDATES, seed: 5 });
    expect(new Set(plan.map((v) => v.model?.skinTone))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(new Set(plan.map((v) => v.model?.bodyType))).toEqual(new Set(BODY_TYPES));
  });

  it("honours what the merchant pinned and still spreads the rest", () => {
    const plan = planVariations({
      preset: preset("on-model-footwear"),
      count: 4,
      seed: 3,
      pinned: { skinTone: 6, genderPresentation: "masculine" },
    });
    expect(plan.map((v) => v.model?.skinTone)).toEqual([6, 6, 6, 6]);
    expect(plan.every((v) => v.model?.genderPresentation === "masculine")).toBe(true);
    expect(new Set(plan.map((v) => v.model?.bodyType)).size).toBe(4);
  });

  it("rejects counts outside 1-10", () => {
    const p = preset("packshot-white");
    expect(() => planVariations({ preset: p, count: 0, seed: 1 })).toThrow(RangeError);
    expect(() => planVariations({ preset: p, count: 11, seed: 1 })).toThrow(/1 to 10/);
    expect(() => planVariations({ preset: p, count: 2.5, seed: 1 })).toThrow(RangeError);
  });
});
