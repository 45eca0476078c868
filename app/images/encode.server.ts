import type sharp from "sharp";
import type { ImageFormat } from "~/generation/provider";
import { provenanceXmp, type Provenance } from "./provenance.server";
import { sharpFromRaw, type RawImage } from "./raw.server";

/** Shopify product media limits. */
export const SHOPIFY_IMAGE_LIMITS = { maxBytes: 20 * 1024 * 1024, maxEdge: 4472 } as const;

export const THUMBNAIL_EDGES = [256, 768] as const;

const DEFAULT_QUALITY = 90;
/** Below this, shrinking pixels costs less visible quality than more compression. */
const MIN_QUALITY = 60;
const QUALITY_STEP = 10;
const DOWNSCALE_STEP = 0.85;

export interface EncodeOptions {
  format: ImageFormat;
  /** 0-100 for jpeg/webp, 100 = best (same direction as the API's output_compression quality). */
  compression?: number;
  maxEdge?: number;
  maxBytes?: number;
  /** Written as XMP during this encode, so lossy formats are compressed only once. */
  provenance?: Provenance;
}

export interface EncodedImage {
  data: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
}

function encoder(image: RawImage, format: ImageFormat, quality: number, edge: number, xmp?: string): sharp.Sharp {
  let pipeline = sharpFromRaw(image);
  if (Math.max(image.width, image.height) > edge) {
    pipeline = pipeline.resize(edge, edge, { fit: "inside", kernel: "lanczos3" });
  }
  if (xmp) pipeline = pipeline.withXmp(xmp);
  if (format === "jpeg") return pipeline.flatten({ background: "#ffffff" }).jpeg({ quality, mozjpeg: true });
  if (format === "webp") return pipeline.webp({ quality, alphaQuality: 100, effort: 4 });
  return pipeline.png({ compressionLevel: 6 });
}

/**
 * Encodes for upload to Shopify: never larger than maxEdge or maxBytes; lossy
 * formats first trade quality, then (like PNG) pixels, until the file fits.
 */
export async function encodeOutput(image: RawImage, options: EncodeOptions): Promise<EncodedImage> {
  const maxBytes = Math.min(options.maxBytes ?? SHOPIFY_IMAGE_LIMITS.maxBytes, SHOPIFY_IMAGE_LIMITS.maxBytes);
  let edge = Math.min(options.maxEdge ?? SHOPIFY_IMAGE_LIMITS.maxEdge, SHOPIFY_IMAGE_LIMITS.maxEdge);
  let quality = Math.max(1, Math.min(100, Math.round(options.compression ?? DEFAULT_QUALITY)));
  const xmp = options.provenance ? provenanceXmp(options.provenance) : undefined;
  for (;;) {
    const { data, info } = await encoder(image, options.format, quality, edge, xmp).toBuffer({
      resolveWithObject: true,
    });
    if (data.length <= maxBytes) return { data, format: options.format, width: info.width, height: info.height };
    if (options.format !== "png" && quality > MIN_QUALITY) {
      quality = Math.max(MIN_QUALITY, quality - QUALITY_STEP);
    } else {
      edge = Math.floor(Math.max(info.width, info.height) * DOWNSCALE_STEP);
      if (edge < 16) throw new Error(`Cannot encode under ${maxBytes} bytes`);
    }
  }
}

export interface Thumbnail {
  edge: (typeof THUMBNAIL_EDGES)[number];
  data: Buffer;
  width: number;
  height: number;
}

/** WebP previews for the review grid; the small one is derived from the large one to halve the work. */
export async function makeThumbnails(image: RawImage): Promise<Thumbnail[]> {
  const [small, large] = THUMBNAIL_EDGES;
  const largeRaw = await sharpFromRaw(image)
    .resize(large, large, { fit: "inside", withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const largeImage: RawImage = { data: largeRaw.data, width: largeRaw.info.width, height: largeRaw.info.height, channels: image.channels };
  const encode = async (edge: (typeof THUMBNAIL_EDGES)[number]): Promise<Thumbnail> => {
    const { data, info } = await sharpFromRaw(largeImage)
      .resize(edge, edge, { fit: "inside", withoutEnlargement: true })
      // Effort 2 encodes in under half the time of the default 4 at the same quality, for slightly larger
      // previews: the thumbnails were a quarter of a batch worker's CPU per image.
      .webp({ quality: 80, effort: 2 })
      .toBuffer({ resolveWithObject: true });
    return { edge, data, width: info.width, height: info.height };
  };
  return Promise.all([encode(small), encode(large)]);
}
