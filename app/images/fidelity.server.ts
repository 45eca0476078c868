import { deltaE, rgbToLab } from "./colour";
import { toMask, toRgb, type RawImage } from "./raw.server";

/**
 * Candidates scoring below this are flagged for the merchant: at 0.85 the
 * product is still recognisable but shape or colour has visibly drifted
 * (a JPEG round trip scores ~0.97, a hue change scores < 0.3).
 */
export const FIDELITY_THRESHOLD = 0.85;

/** Mean ΔE76 below this is treated as no colour change (≈ 1 just-noticeable difference). */
const DELTA_E_TOLERANCE = 2;
/** Mean ΔE above tolerance + this scores zero on colour. */
const DELTA_E_RANGE = 20;
const SSIM_WINDOW = 8;
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

export interface FidelityReport {
  /** 0..1; ssim × colour. */
  score: number;
  /** Windowed luminance SSIM over the product, clamped to 0..1. */
  ssim: number;
  /** Mean CIE76 ΔE over product pixels. */
  meanDeltaE: number;
  flagged: boolean;
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

function maskBox(mask: RawImage): Box | null {
  let minX = mask.width;
  let minY = mask.height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if ((mask.data[y * mask.width + x] ?? 0) >= 128) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return maxX < 0 ? null : { left: minX, top: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

function luminance(image: RawImage, box: Box): Float64Array {
  const out = new Float64Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const p = ((box.top + y) * image.width + box.left + x) * 3;
      out[y * box.width + x] = 0.299 * (image.data[p] ?? 0) + 0.587 * (image.data[p + 1] ?? 0) + 0.114 * (image.data[p + 2] ?? 0);
    }
  }
  return out;
}

/**
 * Summed-area tables of a, b, a², b² and ab, with a zero row/column so window
 * sums need no bounds checks; built in one pass.
 */
function integrals(a: Float64Array, b: Float64Array, width: number, height: number): [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array] {
  const size = (width + 1) * (height + 1);
  const [sa, sb, saa, sbb, sab] = [new Float64Array(size), new Float64Array(size), new Float64Array(size), new Float64Array(size), new Float64Array(size)];
  const stride = width + 1;
  for (let y = 0; y < height; y++) {
    let ra = 0;
    let rb = 0;
    let raa = 0;
    let rbb = 0;
    let rab = 0;
    for (let x = 0; x < width; x++) {
      const va = a[y * width + x] ?? 0;
      const vb = b[y * width + x] ?? 0;
      ra += va;
      rb += vb;
      raa += va * va;
      rbb += vb * vb;
      rab += va * vb;
      const at = (y + 1) * stride + x + 1;
      const above = y * stride + x + 1;
      sa[at] = (sa[above] ?? 0) + ra;
      sb[at] = (sb[above] ?? 0) + rb;
      saa[at] = (saa[above] ?? 0) + raa;
      sbb[at] = (sbb[above] ?? 0) + rbb;
      sab[at] = (sab[above] ?? 0) + rab;
    }
  }
  return [sa, sb, saa, sbb, sab];
}

/**
 * Mean SSIM (Wang et al. 2004) over 8×8 sliding windows on luminance, counting
 * only windows centred on product pixels so the background cannot vote.
 */
function maskedSsim(a: Float64Array, b: Float64Array, inMask: (x: number, y: number) => boolean, width: number, height: number): number {
  const win = Math.min(SSIM_WINDOW, width, height);
  const tables = integrals(a, b, width, height);
  const stride = width + 1;
  const sum = (t: Float64Array, x: number, y: number) =>
    (t[(y + win) * stride + x + win] ?? 0) - (t[y * stride + x + win] ?? 0) - (t[(y + win) * stride + x] ?? 0) + (t[y * stride + x] ?? 0);
  const n = win * win;
  let total = 0;
  let count = 0;
  for (let y = 0; y + win <= height; y++) {
    for (let x = 0; x + win <= width; x++) {
      if (!inMask(x + (win >> 1), y + (win >> 1))) continue;
      const mx = sum(tables[0], x, y) / n;
      const my = sum(tables[1], x, y) / n;
      const vx = sum(tables[2], x, y) / n - mx * mx;
      const vy = sum(tables[3], x, y) / n - my * my;
      const cov = sum(tables[4], x, y) / n - mx * my;
      total += ((2 * mx * my + C1) * (2 * cov + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
      count++;
    }
  }
  return count === 0 ? 1 : total / count;
}

/**
 * How faithfully `candidate` reproduces the product in `source`. Both are
 * compared at the source's size (the candidate is resampled if needed);
 * `productMask` is the cut-out alpha (or any mask image) for the source.
 */
export async function measureFidelity(
  candidate: Buffer | RawImage,
  source: Buffer | RawImage,
  productMask: Buffer | RawImage,
): Promise<FidelityReport> {
  const src = await toRgb(source);
  const size = { width: src.width, height: src.height };
  const [cand, mask] = await Promise.all([toRgb(candidate, size), toMask(productMask, size)]);
  const box = maskBox(mask);
  if (!box) throw new Error("The product mask is empty");
  const inMask = (x: number, y: number) => (mask.data[(box.top + y) * mask.width + box.left + x] ?? 0) >= 128;
  const ssim = Math.max(0, Math.min(1, maskedSsim(luminance(src, box), luminance(cand, box), inMask, box.width, box.height)));

  // Pixels put back from the photo are identical (ΔE 0): only the others are converted to Lab,
  // which spares most of the work on the composites product-preserving mode makes.
  const labA = new Float32Array(3);
  const labB = new Float32Array(3);
  let sumDelta = 0;
  let pixels = 0;
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      if (!inMask(x, y)) continue;
      pixels++;
      const p = ((box.top + y) * src.width + box.left + x) * 3;
      const r1 = src.data[p] ?? 0;
      const g1 = src.data[p + 1] ?? 0;
      const b1 = src.data[p + 2] ?? 0;
      const r2 = cand.data[p] ?? 0;
      const g2 = cand.data[p + 1] ?? 0;
      const b2 = cand.data[p + 2] ?? 0;
      if (r1 === r2 && g1 === g2 && b1 === b2) continue;
      rgbToLab(r1, g1, b1, labA, 0);
      rgbToLab(r2, g2, b2, labB, 0);
      sumDelta += deltaE(labA, 0, labB, 0);
    }
  }
  const meanDeltaE = pixels === 0 ? 0 : sumDelta / pixels;
  const colour = Math.max(0, 1 - Math.max(0, meanDeltaE - DELTA_E_TOLERANCE) / DELTA_E_RANGE);
  const score = ssim * colour;
  return { score, ssim, meanDeltaE, flagged: score < FIDELITY_THRESHOLD };
}

export async function fidelityScore(
  candidate: Buffer | RawImage,
  source: Buffer | RawImage,
  productMask: Buffer | RawImage,
): Promise<number> {
  return (await measureFidelity(candidate, source, productMask)).score;
}
