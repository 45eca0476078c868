import sharp from "sharp";
import { toMask, toRgb, type RawImage } from "./raw.server";

/** Scene and source may differ in aspect ratio by this much (providers round sizes). */
const ASPECT_TOLERANCE = 0.02;

/**
 * The mask for a provider edit, in OpenAI's semantics: fully transparent
 * pixels may be repainted, opaque pixels are the product and must be kept.
 * Any pixel that is at least half product is protected, so the provider
 * paints right up to the silhouette and the composite can restore the rest.
 */
export async function makeProtectionMask(
  alpha: RawImage,
  size: { width: number; height: number } = { width: alpha.width, height: alpha.height },
): Promise<Buffer> {
  const scaled = await toMask(alpha, size);
  const rgba = Buffer.alloc(scaled.width * scaled.height * 4, 255);
  for (let i = 0; i < scaled.width * scaled.height; i++) {
    rgba[i * 4 + 3] = (scaled.data[i] ?? 0) >= 128 ? 255 : 0;
  }
  return sharp(rgba, { raw: { width: scaled.width, height: scaled.height, channels: 4 } }).png().toBuffer();
}

/**
 * Puts the original product pixels back over a generated scene, at the
 * source's resolution: where alpha is 255 the result is the source pixel
 * exactly; the feathered edge is blended so no seam shows.
 */
export async function compositeOriginalProduct(
  generatedScene: Buffer | RawImage,
  source: Buffer | RawImage,
  alpha: RawImage,
): Promise<RawImage> {
  const src = await toRgb(source);
  if (alpha.width !== src.width || alpha.height !== src.height) {
    throw new Error(`Alpha is ${alpha.width}x${alpha.height} but the source is ${src.width}x${src.height}`);
  }
  const sceneMeta = Buffer.isBuffer(generatedScene) ? await sharp(generatedScene).metadata() : generatedScene;
  const sceneAspect = (sceneMeta.width ?? 1) / (sceneMeta.height ?? 1);
  const sourceAspect = src.width / src.height;
  if (Math.abs(sceneAspect / sourceAspect - 1) > ASPECT_TOLERANCE) {
    throw new Error("The generated scene's aspect ratio differs from the source; the product cannot be aligned");
  }
  const scene = await toRgb(generatedScene, { width: src.width, height: src.height });
  const out = Buffer.allocUnsafe(src.width * src.height * 3);
  const a = alpha.data;
  for (let i = 0, p = 0; i < src.width * src.height; i++, p += 3) {
    const w = a[i] ?? 0;
    if (w === 255) {
      out[p] = src.data[p] ?? 0;
      out[p + 1] = src.data[p + 1] ?? 0;
      out[p + 2] = src.data[p + 2] ?? 0;
    } else if (w === 0) {
      out[p] = scene.data[p] ?? 0;
      out[p + 1] = scene.data[p + 1] ?? 0;
      out[p + 2] = scene.data[p + 2] ?? 0;
    } else {
      const v = 255 - w;
      out[p] = ((src.data[p] ?? 0) * w + (scene.data[p] ?? 0) * v + 127) / 255;
      out[p + 1] = ((src.data[p + 1] ?? 0) * w + (scene.data[p + 1] ?? 0) * v + 127) / 255;
      out[p + 2] = ((src.data[p + 2] ?? 0) * w + (scene.data[p + 2] ?? 0) * v + 127) / 255;
    }
  }
  return { data: out, width: src.width, height: src.height, channels: 3 };
}
