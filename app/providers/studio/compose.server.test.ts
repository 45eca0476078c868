import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { measureFidelity } from "~/images/fidelity.server";
import { normalizeImage } from "~/images/inspect.server";
import type { RawImage } from "~/images/raw.server";
import { plainPackshots } from "../../../test/fixtures/images/make-fixtures";
import { composeProduct } from "./compose.server";
import { cutOutProduct, type Cutout } from "~/images/cutout.server";
import { createRng } from "./prng";
import { resolveScene, type StudioSceneSpec } from "./scene";
import { renderScene } from "./scene.server";

let photo: RawImage;
let cutout: Cutout;
const spec: StudioSceneSpec = { ...resolveScene({ surface: "paper", palette: "neutral", light: "left", vignette: false, reflection: false }, createRng(3)) };

beforeAll(async () => {
  const bottle = (await plainPackshots()).find((s) => s.name === "bottle");
  if (!bottle) throw new Error("fixture missing");
  photo = (await normalizeImage(bottle.photo)).image;
  const result = await cutOutProduct(photo);
  if (!result.ok) throw new Error(result.reason);
  cutout = result.cutout;
});

async function crop(image: RawImage, box: { left: number; top: number; width: number; height: number }): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .extract(box)
    .png()
    .toBuffer();
}

function meanLuminance(image: RawImage, box: { left: number; top: number; width: number; height: number }): number {
  let sum = 0;
  for (let y = box.top; y < box.top + box.height; y++) {
    for (let x = box.left; x < box.left + box.width; x++) {
      const p = (y * image.width + x) * image.channels;
      sum += 0.299 * (image.data[p] ?? 0) + 0.587 * (image.data[p + 1] ?? 0) + 0.114 * (image.data[p + 2] ?? 0);
    }
  }
  return sum / (box.width * box.height);
}

describe("composeProduct", () => {
  it("keeps the product's pixels (scaled) and casts a contact shadow", async () => {
    const scene = await renderScene(spec, 1024, 1024);
    const { image, placement } = await composeProduct(photo, cutout, spec, scene);
    expect([image.width, image.height, image.channels]).toEqual([1024, 1024, 3]);

    // Product: the placed region against the source's product, scaled the same way.
    const { box } = cutout;
    const sourceProduct = await sharp(await crop(photo, box)).resize(placement.width, placement.height, { fit: "fill" }).png().toBuffer();
    const mask = await sharp(cutout.alpha.data, { raw: { width: cutout.alpha.width, height: cutout.alpha.height, channels: 1 } })
      .extract(box)
      .resize(placement.width, placement.height, { fit: "fill" })
      .extractChannel(0)
      .raw()
      .toBuffer();
    const report = await measureFidelity(
      await crop(image, placement),
      sourceProduct,
      { data: mask, width: placement.width, height: placement.height, channels: 1 },
    );
    expect(report.ssim).toBeGreaterThan(0.97);
    expect(report.meanDeltaE).toBeLessThan(2);

    // Shadow: a strip just under the product is darker than the bare scene there.
    const strip = {
      left: placement.left + Math.round(placement.width * 0.2),
      top: Math.min(1023 - 6, placement.top + placement.height + 2),
      width: Math.round(placement.width * 0.6),
      height: 6,
    };
    expect(meanLuminance(scene, strip) - meanLuminance(image, strip)).toBeGreaterThan(15);
    // Far from the product the scene is untouched.
    const corner = { left: 5, top: 5, width: 60, height: 60 };
    expect(Math.abs(meanLuminance(scene, corner) - meanLuminance(image, corner))).toBeLessThan(0.5);
  });

  it("renders on a transparent canvas with a soft shadow", async () => {
    const { image, placement } = await composeProduct(photo, cutout, spec, { width: 800, height: 800, transparent: true });
    expect(image.channels).toBe(4);
    const alphaAt = (x: number, y: number) => image.data[(y * 800 + x) * 4 + 3] ?? -1;
    expect(alphaAt(3, 3)).toBe(0);
    expect(alphaAt(placement.left + Math.round(placement.width / 2), placement.top + Math.round(placement.height / 2))).toBe(255);
    const underneath = alphaAt(placement.left + Math.round(placement.width / 2), Math.min(799, placement.top + placement.height + 3));
    expect(underneath).toBeGreaterThan(20);
    expect(underneath).toBeLessThan(255);
  });

  it("adds a fading reflection when asked", async () => {
    const reflective = { ...spec, reflection: true };
    const scene = await renderScene(reflective, 1024, 1024);
    const { image, placement } = await composeProduct(photo, cutout, reflective, scene);
    const below = { left: placement.left + Math.round(placement.width * 0.3), top: placement.top + placement.height + 4, width: Math.round(placement.width * 0.4), height: 10 };
    const plain = await composeProduct(photo, cutout, spec, scene);
    // The bottle is green: the reflection pulls red down relative to the no-reflection render.
    const red = (img: RawImage) => {
      let sum = 0;
      for (let y = below.top; y < below.top + below.height; y++) for (let x = below.left; x < below.left + below.width; x++) sum += img.data[(y * img.width + x) * 3] ?? 0;
      return sum / (below.width * below.height);
    };
    expect(red(plain.image) - red(image)).toBeGreaterThan(5);
  });
});
