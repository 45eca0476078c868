import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { plainPackshots, texturedImage, type Packshot } from "../../test/fixtures/images/make-fixtures";
import { compositeOriginalProduct, makeProtectionMask } from "./preserve.server";
import type { RawImage } from "./raw.server";

let bottle: Packshot;
let source: RawImage;

beforeAll(async () => {
  const found = (await plainPackshots()).find((s) => s.name === "bottle");
  if (!found) throw new Error("bottle fixture missing");
  bottle = found;
  const { data, info } = await sharp(bottle.photo).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  source = { data, width: info.width, height: info.height, channels: 3 };
});

describe("makeProtectionMask", () => {
  it("is transparent where the provider may paint and opaque on the product", async () => {
    const mask = await makeProtectionMask(bottle.truth);
    const { data, info } = await sharp(mask).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect([info.width, info.height]).toEqual([800, 1000]);
    const alphaAt = (x: number, y: number) => data[(y * info.width + x) * 4 + 3];
    expect(alphaAt(400, 600)).toBe(255);
    expect(alphaAt(20, 20)).toBe(0);
    expect(alphaAt(700, 900)).toBe(0);
  });

  it("can be made at the provider's size", async () => {
    const mask = await makeProtectionMask(bottle.truth, { width: 1024, height: 1280 });
    const meta = await sharp(mask).metadata();
    expect([meta.width, meta.height, meta.hasAlpha]).toEqual([1024, 1280, true]);
  });
});

describe("compositeOriginalProduct", () => {
  it("restores the exact source pixels wherever the product is fully opaque", async () => {
    // A generated scene that also repainted (and recoloured) the product.
    const scene = await sharp(await texturedImage(1024, 1280, 30)).jpeg().toBuffer();
    const result = await compositeOriginalProduct(scene, source, bottle.truth);
    expect([result.width, result.height, result.channels]).toEqual([800, 1000, 3]);
    let core = 0;
    let mismatched = 0;
    for (let i = 0; i < 800 * 1000; i++) {
      if (bottle.truth.data[i] !== 255) continue;
      core++;
      for (let c = 0; c < 3; c++) if (result.data[i * 3 + c] !== source.data[i * 3 + c]) mismatched++;
    }
    expect(core).toBeGreaterThan(100_000);
    expect(mismatched).toBe(0);
  });

  it("keeps the generated scene outside the product", async () => {
    const sceneBytes = await texturedImage(800, 1000, 30);
    const scene = await sharp(sceneBytes).removeAlpha().raw().toBuffer();
    const result = await compositeOriginalProduct(sceneBytes, source, bottle.truth);
    let differing = 0;
    let outside = 0;
    for (let i = 0; i < 800 * 1000; i++) {
      if (bottle.truth.data[i] !== 0) continue;
      outside++;
      if (Math.abs((result.data[i * 3] ?? 0) - (scene[i * 3] ?? 0)) > 1) differing++;
    }
    expect(differing / outside).toBeLessThan(0.001);
  });

  it("refuses a scene whose aspect ratio cannot line up with the source", async () => {
    await expect(compositeOriginalProduct(await texturedImage(1024, 1024), source, bottle.truth)).rejects.toThrow(/aspect ratio/);
  });
});
