import sharp from "sharp";

/** Decoded 8-bit pixels, interleaved. Channels: 1 = mask/grey, 3 = RGB, 4 = RGBA. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

export function sharpFromRaw(image: RawImage): sharp.Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
}

export function isRawImage(input: Buffer | RawImage): input is RawImage {
  return !Buffer.isBuffer(input);
}

/**
 * Trusted inputs only (our own encodes, provider output already validated):
 * merchant uploads go through normalizeImage first.
 */
export async function toRgb(
  input: Buffer | RawImage,
  resizeTo?: { width: number; height: number },
): Promise<RawImage> {
  if (isRawImage(input) && input.channels === 3 && !resize(input, resizeTo)) return input;
  let pipeline = isRawImage(input) ? sharpFromRaw(input) : sharp(input, { failOn: "error" });
  if (isRawImage(input) && input.channels === 1) pipeline = pipeline.toColourspace("srgb");
  pipeline = pipeline.flatten({ background: "#ffffff" });
  if (resizeTo) pipeline = pipeline.resize(resizeTo.width, resizeTo.height, { fit: "fill" });
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/** Single-channel view of a mask: the alpha channel if there is one, else luminance. */
export async function toMask(
  input: Buffer | RawImage,
  resizeTo?: { width: number; height: number },
): Promise<RawImage> {
  if (isRawImage(input) && input.channels === 1 && !resize(input, resizeTo)) return input;
  let pipeline = isRawImage(input) ? sharpFromRaw(input) : sharp(input, { failOn: "error" });
  const hasAlpha = isRawImage(input) ? input.channels === 4 : (await sharp(input).metadata()).hasAlpha === true;
  pipeline = hasAlpha ? pipeline.extractChannel("alpha") : pipeline.greyscale();
  if (resizeTo) pipeline = pipeline.resize(resizeTo.width, resizeTo.height, { fit: "fill" });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 1 };
}

function resize(image: RawImage, to?: { width: number; height: number }): boolean {
  return to !== undefined && (to.width !== image.width || to.height !== image.height);
}
