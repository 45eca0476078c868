import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { plainPackshots, type Packshot } from "../../test/fixtures/images/make-fixtures";
import { FIDELITY_THRESHOLD, fidelityScore, measureFidelity } from "./fidelity.server";

let bottle: Packshot;

beforeAll(async () => {
  const shots = await plainPackshots();
  const found = shots.find((s) => s.name === "bottle");
  if (!found) throw new Error("bottle fixture missing");
  bottle = found;
});

describe("fidelityScore", () => {
  it("is 1 for the identical image", async () => {
    expect(await fidelityScore(bottle.photo, bottle.photo, bottle.truth)).toBeCloseTo(1, 5);
  });

  it("stays above the threshold after a lossy re-encode and a resize round trip", async () => {
    const candidate = await sharp(bottle.photo).resize(600).jpeg({ quality: 70 }).toBuffer();
    const report = await measureFidelity(candidate, bottle.photo, bottle.truth);
    expect(report.score).toBeGreaterThan(FIDELITY_THRESHOLD);
    expect(report.flagged).toBe(false);
  });

  it("flags a recoloured product", async () => {
    const recoloured = await sharp(bottle.photo).modulate({ hue: 150 }).jpeg().toBuffer();
    const report = await measureFidelity(recoloured, bottle.photo, bottle.truth);
    expect(report.meanDeltaE).toBeGreaterThan(20);
    expect(report.score).toBeLessThan(0.5);
    expect(report.flagged).toBe(true);
  });

  it("flags a product whose shape changed", async () => {
    const warped = await sharp(bottle.photo).affine([1, 0.15, 0, 1], { background: "#f6f6f4" }).resize(800, 1000, { fit: "fill" }).toBuffer();
    expect(await fidelityScore(warped, bottle.photo, bottle.truth)).toBeLessThan(FIDELITY_THRESHOLD);
  });

  it("ignores changes outside the product", async () => {
    const newBackground = await sharp(bottle.photo)
      .composite([
        { input: { create: { width: 800, height: 120, channels: 3, background: "#203040" } }, top: 880, left: 0 },
      ])
      .toBuffer();
    expect(await fidelityScore(newBackground, bottle.photo, bottle.truth)).toBeGreaterThan(0.98);
  });
});
