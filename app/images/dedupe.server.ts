import sharp from "sharp";
import { isRawImage, sharpFromRaw, type RawImage } from "./raw.server";

/** Candidates whose hashes differ in at most this many of 64 bits look the same in a grid. */
export const NEAR_DUPLICATE_DISTANCE = 6;

/** 64-bit difference hash (dHash) as 16 hex characters. */
export async function perceptualHash(input: Buffer | RawImage): Promise<string> {
  const pipeline = isRawImage(input) ? sharpFromRaw(input) : sharp(input, { failOn: "error" });
  const grey = await pipeline
    .flatten({ background: "#ffffff" })
    .greyscale()
    .resize(9, 8, { fit: "fill", kernel: "cubic" })
    .raw()
    .toBuffer();
  let hash = 0n;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const left = grey[y * 9 + x] ?? 0;
      const right = grey[y * 9 + x + 1] ?? 0;
      hash = (hash << 1n) | (left > right ? 1n : 0n);
    }
  }
  return hash.toString(16).padStart(16, "0");
}

export function hammingDistance(a: string, b: string): number {
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (diff > 0n) {
    count += Number(diff & 1n);
    diff >>= 1n;
  }
  return count;
}

/** Indices to keep, in order: each candidate survives unless it is within threshold of one already kept. */
export function dropNearDuplicates(hashes: string[], threshold: number = NEAR_DUPLICATE_DISTANCE): number[] {
  const kept: number[] = [];
  const keptHashes: string[] = [];
  hashes.forEach((hash, index) => {
    if (keptHashes.every((k) => hammingDistance(k, hash) > threshold)) {
      kept.push(index);
      keptHashes.push(hash);
    }
  });
  return kept;
}
