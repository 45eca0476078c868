/** sRGB (8-bit) to CIE Lab (D65), for colour distances that track perception. */

const SRGB_TO_LINEAR = new Float64Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  SRGB_TO_LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

function labF(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

/** Writes L, a, b at out[offset..offset+2]. */
export function rgbToLab(r: number, g: number, b: number, out: Float32Array, offset: number): void {
  const lr = SRGB_TO_LINEAR[r] ?? 0;
  const lg = SRGB_TO_LINEAR[g] ?? 0;
  const lb = SRGB_TO_LINEAR[b] ?? 0;
  const x = (lr * 0.4124564 + lg * 0.3575761 + lb * 0.1804375) / 0.95047;
  const y = lr * 0.2126729 + lg * 0.7151522 + lb * 0.072175;
  const z = (lr * 0.0193339 + lg * 0.119192 + lb * 0.9503041) / 1.08883;
  const fx = labF(x);
  const fy = labF(y);
  const fz = labF(z);
  out[offset] = 116 * fy - 16;
  out[offset + 1] = 500 * (fx - fy);
  out[offset + 2] = 200 * (fy - fz);
}

/** Converts interleaved 8-bit pixels (3 or 4 channels) to a packed Lab array. */
export function pixelsToLab(data: Uint8Array, channels: number, pixelCount: number): Float32Array {
  const lab = new Float32Array(pixelCount * 3);
  for (let i = 0; i < pixelCount; i++) {
    const p = i * channels;
    rgbToLab(data[p] ?? 0, data[p + 1] ?? 0, data[p + 2] ?? 0, lab, i * 3);
  }
  return lab;
}

/** CIE76 ΔE between two packed Lab entries; ~2.3 is a just-noticeable difference. */
export function deltaE(a: Float32Array, ai: number, b: Float32Array, bi: number): number {
  const dl = (a[ai] ?? 0) - (b[bi] ?? 0);
  const da = (a[ai + 1] ?? 0) - (b[bi + 1] ?? 0);
  const db = (a[ai + 2] ?? 0) - (b[bi + 2] ?? 0);
  return Math.sqrt(dl * dl + da * da + db * db);
}
