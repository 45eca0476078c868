import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { texturedImage } from "../../test/fixtures/images/make-fixtures";
import { encodeOutput } from "./encode.server";
import { readProvenance, withProvenance, type Provenance } from "./provenance.server";

const provenance: Provenance = {
  digitalSourceType: "compositeWithTrainedAlgorithmicMedia",
  generator: "Product Imagery Studio",
  model: "studio-1 <&\"quoted\">",
  preset: "marble-autumn",
  promptHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
};

describe("provenance XMP", () => {
  it.each(["png", "jpeg", "webp"] as const)("round-trips through %s", async (format) => {
    const bytes = await sharp(await texturedImage(128, 128)).toFormat(format).toBuffer();
    const tagged = await withProvenance(bytes, provenance);
    expect((await sharp(tagged).metadata()).format).toBe(format);
    expect(await readProvenance(tagged)).toEqual(provenance);
  });

  it("writes the IPTC vocabulary URI", async () => {
    const tagged = await withProvenance(await texturedImage(64, 64), { ...provenance, digitalSourceType: "trainedAlgorithmicMedia" });
    const xmp = (await sharp(tagged).metadata()).xmp?.toString() ?? "";
    expect(xmp).toContain(
      'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"',
    );
  });

  it("is written by encodeOutput in the same encode", async () => {
    const { data, info } = await sharp(await texturedImage(96, 96)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const out = await encodeOutput({ data, width: info.width, height: info.height, channels: 3 }, { format: "jpeg", provenance });
    expect(await readProvenance(out.data)).toEqual(provenance);
  });

  it("returns null for an untagged image", async () => {
    expect(await readProvenance(await texturedImage(32, 32))).toBeNull();
  });
});
