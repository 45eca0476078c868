import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { texturedImage } from "../../test/fixtures/images/make-fixtures";
import { encodeOutput, makeThumbnails, SHOPIFY_IMAGE_LIMITS } from "./encode.server";
import type { RawImage } from "./raw.server";

async function raw(bytes: Buffer, channels: 3 | 4 = 3): Promise<RawImage> {
  let pipeline = sharp(bytes);
  pipeline = channels === 4 ? pipeline.ensureAlpha() : pipeline.removeAlpha();
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels };
}

/** A half-transparent RGBA square: left half opaque, right half clear. */
function halfTransparent(size: number): RawImage {
  const data = Buffer.alloc(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    data.set([200, 40, 40, i % size < size / 2 ? 255 : 0], i * 4);
  }
  return { data, width: size, height: size, channels: 4 };
}

describe("encodeOutput", () => {
  it.each(["png", "jpeg", "webp"] as const)("writes %s", async (format) => {
    const image = await raw(await texturedImage(300, 200));
    const out = await encodeOutput(image, { format, compression: 80 });
    const meta = await sharp(out.data).metadata();
    expect(meta.format).toBe(format);
    expect([out.width, out.height]).toEqual([300, 200]);
  });

  it("lower compression quality gives smaller lossy files", async () => {
    const image = await raw(await texturedImage(400, 400));
    const high = await encodeOutput(image, { format: "jpeg", compression: 95 });
    const low = await encodeOutput(image, { format: "jpeg", compression: 40 });
    expect(low.data.length).toBeLessThan(high.data.length * 0.7);
  });

  it.each(["png", "webp"] as const)("preserves transparency in %s", async (format) => {
    const out = await encodeOutput(halfTransparent(64), { format });
    const { data, info } = await sharp(out.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const alphaAt = (x: number) => data[(32 * info.width + x) * 4 + 3] ?? -1;
    expect(alphaAt(5)).toBe(255);
    expect(alphaAt(60)).toBe(0);
  });

  it("flattens transparency onto white for jpeg", async () => {
    const out = await encodeOutput(halfTransparent(64), { format: "jpeg" });
    const { data } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    const p = (32 * 64 + 60) * 3;
    expect(Math.min(data[p] ?? 0, data[p + 1] ?? 0, data[p + 2] ?? 0)).toBeGreaterThan(245);
  });

  it("downscales beyond Shopify's 4472 px edge", async () => {
    const image: RawImage = { data: Buffer.alloc(5000 * 2500 * 3, 128), width: 5000, height: 2500, channels: 3 };
    const out = await encodeOutput(image, { format: "jpeg" });
    expect(out.width).toBe(SHOPIFY_IMAGE_LIMITS.maxEdge);
    expect(out.height).toBe(2236);
  });

  it("respects maxEdge and a byte budget", async () => {
    const image = await raw(await texturedImage(1024, 1024));
    const budget = 40_000;
    const out = await encodeOutput(image, { format: "webp", compression: 100, maxEdge: 900, maxBytes: budget });
    expect(out.data.length).toBeLessThanOrEqual(budget);
    expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(900);
  });
});

describe("makeThumbnails", () => {
  it("makes 256 and 768 edge WebPs, keeping the aspect ratio", async () => {
    const thumbs = await makeThumbnails(await raw(await texturedImage(2000, 1000)));
    expect(thumbs.map((t) => [t.edge, t.width, t.height])).toEqual([
      [256, 256, 128],
      [768, 768, 384],
    ]);
    for (const thumb of thumbs) expect((await sharp(thumb.data).metadata()).format).toBe("webp");
  });

  it("does not enlarge small images", async () => {
    const thumbs = await makeThumbnails(await raw(await texturedImage(300, 150)));
    expect(thumbs.map((t) => t.width)).toEqual([256, 300]);
  });
});
