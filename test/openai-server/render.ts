import { createHash } from "node:crypto";
import sharp from "sharp";

/**
 * Renders a real, decodable stand-in for a generated image: a diagonal
 * gradient whose colours come from a hash of the prompt (so different prompts
 * give visibly different images), optionally with the first reference image
 * composited in the middle (so an edit visibly depends on its input).
 */
export interface RenderOptions {
  width: number;
  height: number;
  seedText: string;
  format: "png" | "jpeg" | "webp";
  transparent?: boolean;
  /** 0-100, jpeg/webp only. */
  compression?: number;
  overlay?: Buffer;
}

export function promptColours(seedText: string): { from: [number, number, number]; to: [number, number, number] } {
  const digest = createHash("sha256").update(seedText).digest();
  return {
    from: [digest[0] ?? 0, digest[1] ?? 0, digest[2] ?? 0],
    to: [digest[3] ?? 0, digest[4] ?? 0, digest[5] ?? 0],
  };
}

export async function renderImage(options: RenderOptions): Promise<Buffer> {
  const { width, height } = options;
  const { from, to } = promptColours(options.seedText);
  const raw = Buffer.alloc(width * height * 4);
  const span = Math.max(1, width + height - 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x + y) / span;
      const offset = (y * width + x) * 4;
      raw[offset] = Math.round(from[0] + (to[0] - from[0]) * t);
      raw[offset + 1] = Math.round(from[1] + (to[1] - from[1]) * t);
      raw[offset + 2] = Math.round(from[2] + (to[2] - from[2]) * t);
      // A transparent background means the outer quarter on each side is empty.
      const inside = x >= width / 4 && x < (3 * width) / 4 && y >= height / 4 && y < (3 * height) / 4;
      raw[offset + 3] = options.transparent && !inside ? 0 : 255;
    }
  }
  let image = sharp(raw, { raw: { width, height, channels: 4 } });
  if (options.overlay) {
    const overlay = await sharp(options.overlay)
      .resize(Math.max(1, Math.floor(width / 2)), Math.max(1, Math.floor(height / 2)), { fit: "inside" })
      .toBuffer();
    image = sharp(await image.png().toBuffer()).composite([{ input: overlay, gravity: "centre" }]);
  }
  const quality = options.compression ?? 100;
  switch (options.format) {
    case "png":
      return image.png().toBuffer();
    case "jpeg":
      return image.flatten({ background: "#ffffff" }).jpeg({ quality: Math.max(1, quality) }).toBuffer();
    case "webp":
      return image.webp({ quality: Math.max(1, quality) }).toBuffer();
  }
}
