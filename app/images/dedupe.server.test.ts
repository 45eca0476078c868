import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { texturedImage } from "../../test/fixtures/images/make-fixtures";
import { dropNearDuplicates, hammingDistance, NEAR_DUPLICATE_DISTANCE, perceptualHash } from "./dedupe.server";

describe("perceptual hash", () => {
  it("is 64 bits of hex", async () => {
    expect(await perceptualHash(await texturedImage(200, 200))).toMatch(/^[0-9a-f]{16}$/);
  });

  it("barely moves under re-encoding and resizing, moves a lot for a different composition", async () => {
    const original = await texturedImage(512, 512, 200);
    const reencoded = await sharp(original).resize(300, 300).jpeg({ quality: 60 }).toBuffer();
    const other = await sharp(await texturedImage(512, 512, 20)).flip().png().toBuffer();
    const flipped = await sharp(original).flop().png().toBuffer();
    const [a, b, c, d] = await Promise.all([original, reencoded, other, flipped].map((x) => perceptualHash(x)));
    expect(hammingDistance(a ?? "", b ?? "")).toBeLessThanOrEqual(NEAR_DUPLICATE_DISTANCE);
    expect(hammingDistance(a ?? "", c ?? "")).toBeGreaterThan(NEAR_DUPLICATE_DISTANCE);
    expect(hammingDistance(a ?? "", d ?? "")).toBeGreaterThan(NEAR_DUPLICATE_DISTANCE);
  });
});

describe("hammingDistance", () => {
  it("counts differing bits", () => {
    expect(hammingDistance("0000000000000000", "0000000000000000")).toBe(0);
    expect(hammingDistance("ffffffffffffffff", "0000000000000000")).toBe(64);
    expect(hammingDistance("000000000000000f", "0000000000000001")).toBe(3);
  });
});

describe("dropNearDuplicates", () => {
  it("keeps the first of each near-identical group, in order", () => {
    const hashes = ["0000000000000000", "0000000000000003", "ffffffffffffffff", "fffffffffffffff0", "00000000ffffffff"];
    expect(dropNearDuplicates(hashes, 4)).toEqual([0, 2, 4]);
    expect(dropNearDuplicates(hashes, 0)).toEqual([0, 1, 2, 3, 4]);
  });
});
