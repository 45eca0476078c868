import sharp from "sharp";
import { ImageInputError } from "./errors";
import type { RawImage } from "./raw.server";

export type SniffedFormat = "jpeg" | "png" | "webp" | "gif" | "avif" | "heif" | "tiff" | "svg";
export type AcceptedFormat = Exclude<SniffedFormat, "svg">;

export interface ImageLimits {
  maxBytes: number;
  /** Checked by libvips from the header, before any pixel is decoded. */
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxPixels: 40_000_000,
};

/** A decode that takes longer than this is treated as hostile rather than slow. */
const DECODE_TIMEOUT_SECONDS = 20;

export interface ImageInfo {
  format: AcceptedFormat;
  /** As stored, before EXIF orientation. */
  width: number;
  height: number;
  hasAlpha: boolean;
  pages: number;
  /** EXIF orientation 1-8; 1 when absent. */
  orientation: number;
  /** libvips interpretation, e.g. "srgb", "cmyk", "rgb16", "b-w". */
  space: string;
  /** Bits per sample. */
  depth: number;
}

export interface NormalizedImage {
  /** 8-bit sRGB, upright; 4 channels when the source has alpha, else 3. */
  image: RawImage;
  info: ImageInfo;
  /** Only the first frame of animated/multi-page inputs is used. */
  framesUsed: 1;
  /** What was changed, in words a merchant can read. */
  notes: string[];
}

/** Identifies the real format from the leading bytes; extensions and declared MIME types are ignored. */
export function sniffFormat(bytes: Uint8Array): SniffedFormat | null {
  const ascii = (start: number, end: number) => Buffer.from(bytes.subarray(start, end)).toString("latin1");
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (ascii(0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a") return "gif";
  if (ascii(0, 4) === "II*\0" || ascii(0, 4) === "MM\0*") return "tiff";
  if (ascii(4, 8) === "ftyp") {
    const brand = ascii(8, 12);
    if (brand === "avif" || brand === "avis") return "avif";
    if (["heic", "heix", "hevc", "hevx", "mif1", "msf1"].includes(brand)) return "heif";
  }
  if (looksLikeSvg(bytes)) return "svg";
  return null;
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("utf8").replace(/^\uFEFF/, "").trimStart().toLowerCase();
  return head.startsWith("<svg") || ((head.startsWith("<?xml") || head.startsWith("<!doctype")) && head.includes("<svg"));
}

function sharpInput(bytes: Buffer, limits: ImageLimits): sharp.Sharp {
  // failOn "error" refuses truncated and broken data while tolerating the
  // benign libjpeg warnings many phone and scanner JPEGs carry.
  return sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: "error", page: 0, pages: 1 }).timeout({
    seconds: DECODE_TIMEOUT_SECONDS,
  });
}

function toInputError(error: unknown, format: AcceptedFormat, limits: ImageLimits): ImageInputError {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new ImageInputError(
      "too_many_pixels",
      `This image has more than ${Math.round(limits.maxPixels / 1e6)} megapixels. Please upload a smaller image.`,
      { cause: error },
    );
  }
  if (format === "heif") {
    return new ImageInputError(
      "unsupported_format",
      "HEIC photos can't be read here. Please export the photo as JPEG or PNG and upload it again.",
      { cause: error },
    );
  }
  if (/timeout/i.test(message)) {
    return new ImageInputError("corrupt", "This image took too long to read and was refused.", { cause: error });
  }
  return new ImageInputError(
    "corrupt",
    "This image file is damaged or incomplete. Please re-export it and upload it again.",
    { cause: error },
  );
}

const DEPTH_BITS: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32 };

/** Cheap header-level check: format, byte and pixel limits. Pixels are decoded by normalizeImage. */
export async function inspectImage(bytes: Buffer, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<ImageInfo> {
  if (bytes.length === 0) throw new ImageInputError("empty", "The file is empty.");
  if (bytes.length > limits.maxBytes) {
    throw new ImageInputError(
      "too_many_bytes",
      `This file is larger than ${Math.round(limits.maxBytes / (1024 * 1024))} MB. Please upload a smaller image.`,
    );
  }
  const format = sniffFormat(bytes);
  if (format === "svg") {
    throw new ImageInputError(
      "svg_refused",
      "SVG files aren't accepted because they can contain scripts. Please upload a PNG, JPEG or WebP.",
    );
  }
  if (format === null) {
    throw new ImageInputError(
      "unsupported_format",
      "This file isn't an image we can use. Please upload a JPEG, PNG, WebP, GIF, AVIF or TIFF.",
    );
  }
  let metadata: sharp.Metadata;
  try {
    metadata = await sharpInput(bytes, limits).metadata();
  } catch (error) {
    throw toInputError(error, format, limits);
  }
  const { width, height } = metadata;
  if (!width || !height) {
    throw new ImageInputError("corrupt", "This image has no readable size. Please re-export it and upload it again.");
  }
  return {
    format,
    width,
    height,
    hasAlpha: metadata.hasAlpha === true,
    pages: metadata.pages ?? 1,
    orientation: metadata.orientation ?? 1,
    space: metadata.space ?? "srgb",
    depth: DEPTH_BITS[metadata.depth ?? "uchar"] ?? 8,
  };
}

/**
 * Full decode into the form every later step assumes: upright, 8-bit sRGB,
 * single frame. Anything that was changed is listed in `notes`.
 */
export async function normalizeImage(
  bytes: Buffer,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<NormalizedImage> {
  const info = await inspectImage(bytes, limits);
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    let pipeline = sharpInput(bytes, limits).rotate().toColourspace("srgb");
    if (!info.hasAlpha) pipeline = pipeline.removeAlpha();
    decoded = await pipeline.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw toInputError(error, info.format, limits);
  }
  const channels = decoded.info.channels;
  if (channels !== 3 && channels !== 4) {
    throw new ImageInputError("corrupt", "This image has an unexpected colour layout and can't be used.");
  }
  const notes: string[] = [];
  if (info.pages > 1) {
    notes.push(`This ${info.format.toUpperCase()} has ${info.pages} frames; only the first frame is used.`);
  }
  if (info.orientation !== 1) notes.push("The photo was rotated upright using its camera orientation.");
  if (info.space === "cmyk") notes.push("The image was converted from CMYK (print) colours to screen colours.");
  if (info.depth > 8) notes.push(`The image was reduced from ${info.depth}-bit to 8-bit colour.`);
  return {
    image: { data: decoded.data, width: decoded.info.width, height: decoded.info.height, channels },
    info,
    framesUsed: 1,
    notes,
  };
}
