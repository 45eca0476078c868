import sharp from "sharp";
import { deltaE, pixelsToLab } from "./colour";
import { sharpFromRaw, type RawImage } from "./raw.server";

/** The mask is found at this edge, then upscaled and refined at full resolution. */
const WORKING_EDGE = 512;
/** ΔE from the background colour under which a pixel counts as background. */
const BACKGROUND_TOLERANCE = 14;
/** Neighbour-to-neighbour ΔE that lets the fill follow soft gradients and vignettes. */
const GRADIENT_STEP = 2.5;
/** Share of border pixels that may differ from the background (a product may touch the frame). */
const MAX_BORDER_VARIATION = 0.2;
/** In the refined edge band: ΔE at or below → transparent, at or above → opaque. */
const EDGE_LOW = 5;
const EDGE_HIGH = 18;
const FEATHER_SIGMA = 0.7;
const MIN_COVERAGE = 0.01;
const MAX_COVERAGE = 0.92;
/** Product fragments smaller than this share of the largest piece are noise. */
const MIN_ISLAND_SHARE = 0.05;

export interface Cutout {
  /** 1 channel, same size as the photo: 255 = product, 0 = background. */
  alpha: RawImage;
  /** Product bounding box in photo pixels. */
  box: { left: number; top: number; width: number; height: number };
  /** Share of the photo covered by the product. */
  coverage: number;
}

export type CutoutResult = { ok: true; cutout: Cutout } | { ok: false; reason: string };

const NEIGHBOURS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

function borderIndices(w: number, h: number): number[] {
  const out: number[] = [];
  for (let x = 0; x < w; x++) out.push(x, (h - 1) * w + x);
  for (let y = 1; y < h - 1; y++) out.push(y * w, y * w + w - 1);
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Binary morphology with a (2r+1)² square, as separable min/max passes. */
function morph(mask: Uint8Array, w: number, h: number, r: number, grow: boolean): Uint8Array {
  const pass = (src: Uint8Array, horizontal: boolean) => {
    const out = new Uint8Array(src.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let v = grow ? 0 : 1;
        for (let k = -r; k <= r; k++) {
          const xx = horizontal ? x + k : x;
          const yy = horizontal ? y : y + k;
          const inside = xx >= 0 && yy >= 0 && xx < w && yy < h;
          const s = inside ? (src[yy * w + xx] ?? 0) : grow ? 0 : 1;
          v = grow ? v | s : v & s;
        }
        out[y * w + x] = v;
      }
    }
    return out;
  };
  return pass(pass(mask, true), false);
}

/** Labels 4-connected regions where mask === value; returns labels (0 = other) and region sizes. */
function components(mask: Uint8Array, w: number, h: number, value: number): { labels: Int32Array; sizes: number[] } {
  const labels = new Int32Array(w * h);
  const sizes = [0];
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (mask[start] !== value || labels[start] !== 0) continue;
    const label = sizes.length;
    let size = 0;
    labels[start] = label;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop() ?? 0;
      size++;
      const x = p % w;
      const y = (p - x) / w;
      for (const [dx, dy] of NEIGHBOURS) {
        const nx = x + dx;
        const ny = y + dy;
        const q = ny * w + nx;
        if (nx >= 0 && ny >= 0 && nx < w && ny < h && mask[q] === value && labels[q] === 0) {
          labels[q] = label;
          stack.push(q);
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

/** Keeps the product's main pieces and fills anything they enclose. */
function clean(product: Uint8Array, w: number, h: number): Uint8Array {
  let mask = morph(morph(product, w, h, 1, false), w, h, 1, true);
  mask = morph(morph(mask, w, h, 2, true), w, h, 2, false);
  const pieces = components(mask, w, h, 1);
  const largest = Math.max(0, ...pieces.sizes);
  const kept = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const label = pieces.labels[i] ?? 0;
    if (label > 0 && (pieces.sizes[label] ?? 0) >= largest * MIN_ISLAND_SHARE) kept[i] = 1;
  }
  const gaps = components(kept, w, h, 0);
  const touchesBorder = new Set(borderIndices(w, h).map((i) => gaps.labels[i] ?? 0));
  for (let i = 0; i < w * h; i++) {
    const label = gaps.labels[i] ?? 0;
    if (label > 0 && !touchesBorder.has(label)) kept[i] = 1;
  }
  return kept;
}

/**
 * Border-seeded flood fill in Lab: everything reachable from the frame's
 * edge through background-coloured pixels is background, the rest is the
 * product. Refuses, with a reason a merchant can act on, when the photo
 * does not have the plain background this needs.
 */
export async function cutOutProduct(photo: RawImage): Promise<CutoutResult> {
  const scale = Math.min(1, WORKING_EDGE / Math.max(photo.width, photo.height));
  const w = Math.max(8, Math.round(photo.width * scale));
  const h = Math.max(8, Math.round(photo.height * scale));
  const small = await sharpFromRaw(photo).removeAlpha().resize(w, h, { fit: "fill" }).raw().toBuffer();
  const lab = pixelsToLab(small, 3, w * h);

  const border = borderIndices(w, h);
  const background = new Float32Array([
    median(border.map((i) => lab[i * 3] ?? 0)),
    median(border.map((i) => lab[i * 3 + 1] ?? 0)),
    median(border.map((i) => lab[i * 3 + 2] ?? 0)),
  ]);
  const distance = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) distance[i] = deltaE(lab, i * 3, background, 0);
  const varying = border.filter((i) => (distance[i] ?? 0) > BACKGROUND_TOLERANCE).length / border.length;
  if (varying > MAX_BORDER_VARIATION) {
    return {
      ok: false,
      reason: `The product photo's background is not plain enough to cut out (${Math.round(varying * 100)}% of the border varies). Use a photo on a plain, even background.`,
    };
  }

  const isBackground = new Uint8Array(w * h);
  const queue = border.filter((i) => (distance[i] ?? 0) <= BACKGROUND_TOLERANCE);
  for (const i of queue) isBackground[i] = 1;
  while (queue.length > 0) {
    const p = queue.pop() ?? 0;
    const x = p % w;
    const y = (p - x) / w;
    for (const [dx, dy] of NEIGHBOURS) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const q = ny * w + nx;
      if (isBackground[q]) continue;
      const d = distance[q] ?? 0;
      if (d <= BACKGROUND_TOLERANCE || (d <= 2 * BACKGROUND_TOLERANCE && deltaE(lab, q * 3, lab, p * 3) <= GRADIENT_STEP)) {
        isBackground[q] = 1;
        queue.push(q);
      }
    }
  }
  const product = clean(isBackground.map((b) => 1 - b), w, h);
  const coverage = product.reduce((sum, v) => sum + v, 0) / (w * h);
  if (coverage < MIN_COVERAGE) {
    return { ok: false, reason: "No product could be found in the photo: it looks like an empty background." };
  }
  if (coverage > MAX_COVERAGE) {
    return { ok: false, reason: "The product fills the whole photo, so there is no background to remove. Use a photo with some space around the product." };
  }
  const alpha = await refineAlpha(photo, product, w, h, background);
  return { ok: true, cutout: { alpha, box: boundingBox(alpha), coverage } };
}

/**
 * Upscales the coarse mask, then re-decides the uncertain band along the
 * silhouette from full-resolution colour distance, so the edge follows the
 * real outline rather than the coarse grid.
 */
async function refineAlpha(photo: RawImage, product: Uint8Array, w: number, h: number, background: Float32Array): Promise<RawImage> {
  const coarse = Buffer.from(product.map((v) => v * 255));
  const up = await sharp(coarse, { raw: { width: w, height: h, channels: 1 } })
    .resize(photo.width, photo.height, { fit: "fill", kernel: "linear" })
    .extractChannel(0)
    .raw()
    .toBuffer();
  const pixel = new Float32Array(3);
  for (let i = 0; i < up.length; i++) {
    const a = up[i] ?? 0;
    if (a === 0 || a === 255) continue;
    const p = i * photo.channels;
    const lab = pixelsToLab(photo.data.subarray(p, p + 3), 3, 1);
    pixel.set(lab);
    const d = deltaE(pixel, 0, background, 0);
    up[i] = Math.round(255 * Math.max(0, Math.min(1, (d - EDGE_LOW) / (EDGE_HIGH - EDGE_LOW))));
  }
  const data = await sharp(up, { raw: { width: photo.width, height: photo.height, channels: 1 } })
    .blur(FEATHER_SIGMA)
    .extractChannel(0)
    .raw()
    .toBuffer();
  return { data, width: photo.width, height: photo.height, channels: 1 };
}

function boundingBox(alpha: RawImage): Cutout["box"] {
  let minX = alpha.width;
  let minY = alpha.height;
  let maxX = 0;
  let maxY = 0;
  for (let y = 0; y < alpha.height; y++) {
    for (let x = 0; x < alpha.width; x++) {
      if ((alpha.data[y * alpha.width + x] ?? 0) > 0) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return { left: minX, top: minY, width: Math.max(1, maxX - minX + 1), height: Math.max(1, maxY - minY + 1) };
}
