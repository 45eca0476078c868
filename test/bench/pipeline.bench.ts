/**
 * Per-candidate pipeline cost vs sharp's bare decode + encode of the same
 * image. Run: npx tsx test/bench/pipeline.bench.ts
 *
 * The candidate is what an AI provider returns (a 2048×2048 PNG scene); the
 * source photo is decoded and cut out once per job, so those are outside the
 * per-candidate loop, as in production.
 */
import sharp from "sharp";
import type { ImageFormat } from "~/generation/provider";
import { perceptualHash } from "~/images/dedupe.server";
import { encodeOutput, makeThumbnails } from "~/images/encode.server";
import { normalizeImage } from "~/images/inspect.server";
import { compositeOriginalProduct } from "~/images/preserve.server";
import type { RawImage } from "~/images/raw.server";
import { texturedImage } from "../fixtures/images/make-fixtures";

const EDGE = 2048;
const WARMUP = 2;
const ITERATIONS = 9;

/**
 * Runs both contenders alternately so machine load drifts hit them equally;
 * returns each one's median.
 */
async function medians(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  for (let i = 0; i < WARMUP; i++) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  const time = async (run: () => Promise<unknown>, into: number[]) => {
    const started = performance.now();
    await run();
    into.push(performance.now() - started);
  };
  for (let i = 0; i < ITERATIONS; i++) {
    await time(a, times[0]);
    await time(b, times[1]);
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? Number.NaN;
  return [median(times[0]), median(times[1])];
}

async function fixtures(): Promise<{ candidate: Buffer; source: RawImage; alpha: RawImage }> {
  const candidate = await texturedImage(EDGE, EDGE, 30);
  const sourceBytes = await texturedImage(EDGE, EDGE, 200);
  const { data, info } = await sharp(sourceBytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const source: RawImage = { data, width: info.width, height: info.height, channels: 3 };
  const ellipse = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${EDGE}" height="${EDGE}"><ellipse cx="1024" cy="1100" rx="500" ry="700" fill="#fff"/></svg>`,
  );
  const mask = await sharp(ellipse).extractChannel("alpha").blur(1).raw().toBuffer();
  return { candidate, source, alpha: { data: mask, width: EDGE, height: EDGE, channels: 1 } };
}

async function pipeline(candidate: Buffer, source: RawImage, alpha: RawImage, format: ImageFormat): Promise<void> {
  const { image } = await normalizeImage(candidate);
  const composed = await compositeOriginalProduct(image, source, alpha);
  await Promise.all([
    encodeOutput(composed, {
      format,
      compression: 88,
      provenance: {
        digitalSourceType: "compositeWithTrainedAlgorithmicMedia",
        generator: "Product Imagery Studio",
        model: "bench",
        preset: "bench",
        promptHash: "0".repeat(64),
      },
    }),
    makeThumbnails(composed),
    perceptualHash(composed),
  ]);
}

async function bare(candidate: Buffer, format: ImageFormat): Promise<void> {
  const image = sharp(candidate);
  if (format === "jpeg") await image.jpeg({ quality: 88, mozjpeg: true }).toBuffer();
  else if (format === "webp") await image.webp({ quality: 88 }).toBuffer();
  else await image.png({ compressionLevel: 6 }).toBuffer();
}

const { candidate, source, alpha } = await fixtures();
console.log(`${EDGE}×${EDGE} candidate, median of ${ITERATIONS} after ${WARMUP} warm-up runs, sharp concurrency ${sharp.concurrency()}`);
for (const format of ["jpeg", "webp", "png"] as const) {
  const [baseline, full] = await medians(
    () => bare(candidate, format),
    () => pipeline(candidate, source, alpha, format),
  );
  console.log(
    `${format.padEnd(5)} bare decode+encode ${baseline.toFixed(0).padStart(5)} ms | pipeline ${full.toFixed(0).padStart(5)} ms | ratio ${(full / baseline).toFixed(2)}×`,
  );
}
