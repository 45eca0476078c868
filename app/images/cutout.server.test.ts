import { beforeAll, describe, expect, it } from "vitest";
import { normalizeImage } from "./inspect.server";
import { busyPackshot, plainPackshots, type Packshot } from "../../test/fixtures/images/make-fixtures";
import { cutOutProduct } from "./cutout.server";

let shots: Packshot[];

beforeAll(async () => {
  shots = await plainPackshots();
});

/** Pixels at least `r` away from any truth-mask pixel of the other kind. */
function interior(truth: Packshot["truth"], r: number, product: boolean): number[] {
  const out: number[] = [];
  const { width, height, data } = truth;
  for (let y = r; y < height - r; y += 3) {
    for (let x = r; x < width - r; x += 3) {
      let uniform = true;
      for (let dy = -r; dy <= r && uniform; dy += r) {
        for (let dx = -r; dx <= r && uniform; dx += r) {
          const v = data[(y + dy) * width + x + dx] ?? 0;
          uniform = product ? v === 255 : v === 0;
        }
      }
      if (uniform) out.push(y * width + x);
    }
  }
  return out;
}

describe("cutOutProduct", () => {
  it.each(["bottle", "mug", "box"])("cuts out the %s on a plain background", async (name) => {
    const shot = shots.find((s) => s.name === name);
    if (!shot) throw new Error(`fixture ${name} missing`);
    const result = await cutOutProduct((await normalizeImage(shot.photo)).image);
    if (!result.ok) throw new Error(result.reason);
    const { alpha, coverage } = result.cutout;
    expect(coverage).toBeGreaterThan(0.1);
    expect(coverage).toBeLessThan(0.35);
    const background = interior(shot.truth, 6, false);
    const core = interior(shot.truth, 6, true);
    const backgroundAlpha = background.map((i) => alpha.data[i] ?? 0);
    const coreAlpha = core.map((i) => alpha.data[i] ?? 0);
    // The mug's handle opening is enclosed and gets filled (see cutout notes), so allow a small share.
    const maxLeak = name === "mug" ? 0.03 : 0.001;
    expect(backgroundAlpha.filter((a) => a > 5).length / background.length).toBeLessThan(maxLeak);
    expect(coreAlpha.every((a) => a === 255)).toBe(true);
  });

  it("feathers the edge over a pixel or two rather than a hard step", async () => {
    const shot = shots.find((s) => s.name === "bottle");
    if (!shot) throw new Error("fixture missing");
    const result = await cutOutProduct((await normalizeImage(shot.photo)).image);
    if (!result.ok) throw new Error(result.reason);
    // Across the bottle's left side (x ≈ 280) at mid-height.
    const row = 600 * 800;
    const ramp = Array.from({ length: 20 }, (_, k) => result.cutout.alpha.data[row + 270 + k] ?? 0);
    const partial = ramp.filter((a) => a > 0 && a < 255).length;
    expect(partial).toBeGreaterThanOrEqual(1);
    expect(partial).toBeLessThanOrEqual(5);
  });

  it("refuses a busy background and says how much of the border varies", async () => {
    const shot = await busyPackshot();
    const result = await cutOutProduct((await normalizeImage(shot.photo)).image);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/not plain enough to cut out \(\d+% of the border varies\)/);
  });

  it("refuses an empty background", async () => {
    const blank = { data: Buffer.alloc(300 * 300 * 3, 240), width: 300, height: 300, channels: 3 as const };
    const result = await cutOutProduct(blank);
    expect(result.ok).toBe(false);
  });
});
