/**
 * Measures a rendered photo the way a background-removal step sees it: the
 * studio colour along the border, and a flood fill from the border that stops
 * where the product begins.
 */
import sharp from "sharp";

export interface PhotoStats {
  width: number;
  height: number;
  /** Largest colour distance of any border pixel from the border's median colour. */
  borderSpread: number;
  /** Mean of the border pixels (0–255 per channel). */
  borderMean: [number, number, number];
  /** Share of the frame the flood fill could not reach: product plus its shadow. */
  productFraction: number;
  /** Share of the central half (25–75% on both axes) that is product. */
  centreProductFraction: number;
  /** Mean colour distance from the studio colour over product pixels. */
  productContrast: number;
  /** Product bounding box as fractions of the frame. */
  bbox: { left: number; top: number; right: number; bottom: number };
}

/** Colour distance under which a neighbour still counts as studio background. */
const FLOOD_TOLERANCE = 18;

export async function decode(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export async function analysePhoto(png: Buffer): Promise<PhotoStats> {
  const { data, width, height } = await decode(png);
  const at = (i: number): [number, number, number] => [data[i * 3] ?? 0, data[i * 3 + 1] ?? 0, data[i * 3 + 2] ?? 0];
  const distance = (a: readonly number[], b: readonly number[]) => Math.hypot((a[0] ?? 0) - (b[0] ?? 0), (a[1] ?? 0) - (b[1] ?? 0), (a[2] ?? 0) - (b[2] ?? 0));

  const borderIndices: number[] = [];
  for (let x = 0; x < width; x++) borderIndices.push(x, (height - 1) * width + x);
  for (let y = 1; y < height - 1; y++) borderIndices.push(y * width, y * width + width - 1);
  const border = borderIndices.map(at);
  const median = [0, 1, 2].map((c) => border.map((p) => p[c] ?? 0).sort((a, b) => a - b)[border.length >> 1] ?? 0);
  const borderMean = [0, 1, 2].map((c) => border.reduce((sum, p) => sum + (p[c] ?? 0), 0) / border.length) as [number, number, number];
  const borderSpread = Math.max(...border.map((p) => distance(p, median)));

  // The studio backdrop is a gentle vertical gradient, so each row is compared with its own edge colour.
  const rowBackground = new Float64Array(height * 3);
  for (let y = 0; y < height; y++) {
    for (let c = 0; c < 3; c++) {
      rowBackground[y * 3 + c] = ((data[y * width * 3 + c] ?? 0) + (data[(y * width + width - 1) * 3 + c] ?? 0)) / 2;
    }
  }
  const fromBackground = (i: number, y: number): number => {
    const dr = (data[i * 3] ?? 0) - (rowBackground[y * 3] ?? 0);
    const dg = (data[i * 3 + 1] ?? 0) - (rowBackground[y * 3 + 1] ?? 0);
    const db = (data[i * 3 + 2] ?? 0) - (rowBackground[y * 3 + 2] ?? 0);
    return Math.sqrt(dr * dr + dg * dg + db * db);
  };

  const reached = new Uint8Array(width * height);
  const queue = new Int32Array(width * height);
  let tail = 0;
  for (const i of borderIndices) {
    if (!reached[i]) {
      reached[i] = 1;
      queue[tail++] = i;
    }
  }
  const visit = (n: number, y: number) => {
    if (!reached[n] && fromBackground(n, y) < FLOOD_TOLERANCE) {
      reached[n] = 1;
      queue[tail++] = n;
    }
  };
  for (let head = 0; head < tail; head++) {
    const i = queue[head] ?? 0;
    const x = i % width;
    const y = (i - x) / width;
    if (x > 0) visit(i - 1, y);
    if (x < width - 1) visit(i + 1, y);
    if (y > 0) visit(i - width, y - 1);
    if (y < height - 1) visit(i + width, y + 1);
  }

  let product = 0;
  let centre = 0;
  let centreTotal = 0;
  let contrast = 0;
  let left = width;
  let top = height;
  let right = 0;
  let bottom = 0;
  for (let y = 0; y < height; y++) {
    const rowInCentre = y >= height / 4 && y < (height * 3) / 4;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const inCentre = rowInCentre && x >= width / 4 && x < (width * 3) / 4;
      if (inCentre) centreTotal++;
      if (reached[i]) continue;
      product++;
      contrast += fromBackground(i, y);
      if (inCentre) centre++;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  return {
    width,
    height,
    borderSpread,
    borderMean,
    productFraction: product / (width * height),
    centreProductFraction: centre / centreTotal,
    productContrast: product === 0 ? 0 : contrast / product,
    bbox: { left: left / width, top: top / height, right: (right + 1) / width, bottom: (bottom + 1) / height },
  };
}
