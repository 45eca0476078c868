import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import sharp from "sharp";
import { cutOutProduct } from "~/images/cutout.server";
import { perceptualHash } from "~/images/dedupe.server";
import { encodeOutput, makeThumbnails } from "~/images/encode.server";
import { measureFidelity } from "~/images/fidelity.server";
import { inspectImage, normalizeImage } from "~/images/inspect.server";
import { compositeOriginalProduct, makeProtectionMask } from "~/images/preserve.server";
import type { DigitalSourceType } from "~/images/provenance.server";
import type { RawImage } from "~/images/raw.server";
import { shopKey, type ObjectStorage } from "~/storage/types";
import { candidateAltText } from "./alt-text";
import { CandidateInputError, MissingProductPhotoError, PresetUnsupportedError, ProductCutoutError, UnknownPresetError } from "./candidate-errors";
import { ProviderError } from "./errors";
import type { GenerateCandidatesInput, GenerateCandidatesResult, GeneratedCandidate, RegionEdit } from "./generate-candidates";
import { presetsAvailableFor } from "./presets/availability";
import { EMPTY_BRAND_KIT, type BrandKit } from "./presets/brand-kit";
import { PRESET_LIBRARY } from "./presets/library";
import { sceneSpecFor } from "./presets/scene-spec";
import type { Preset } from "./presets/types";
import { planVariations } from "./presets/variations";
import { buildPrompt } from "./prompt/build-prompt.server";
import type { GenerationRequest, GenerationResult, ImageFormat, ImageProvider, ReferenceImage } from "./provider";

export interface GenerateCandidatesDeps {
  provider: ImageProvider;
  storage: ObjectStorage;
  fetchImage(url: string): Promise<Buffer>;
  /** Built-in library plus the shop's own presets; see presetLookup. */
  presets(id: string): Preset | undefined;
  brandKit: BrandKit | null;
  now(): Date;
  /**
   * Shares the product photo's preparation (download, decode, cut-out, mask,
   * reference encode) between the candidates of one product; without it
   * every call prepares the photo itself.
   */
  preparedPhotos?: PreparedPhotos;
}

/** What a provider call needs from the product photo, and what goes back on top of its answer. */
interface PreparedPhoto {
  size: string;
  references: ReferenceImage[];
  mask?: Buffer;
  preserved: { canvas: RawImage; alpha: RawImage } | null;
}

/** Long enough for a product's candidates (enqueued together) to pass through; short enough that a replaced photo is seen. */
const PREPARED_PHOTO_TTL_MS = 5 * 60_000;

/**
 * A worker's few most recent photo preparations. The cut-out alone costs more
 * CPU than everything else an item does, and a batch asks for several
 * candidates of each product in a row, so it is done once per product. The
 * promise is shared, so candidates of one product that run at the same time
 * wait for one preparation; a failed one is forgotten and tried again.
 */
export class PreparedPhotos {
  private readonly entries = new Map<string, { at: number; prepared: Promise<PreparedPhoto> }>();

  constructor(
    private readonly maxEntries = 4,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: string, prepare: () => Promise<PreparedPhoto>): Promise<PreparedPhoto> {
    const now = this.clock();
    const hit = this.entries.get(key);
    this.entries.delete(key);
    if (hit && now - hit.at < PREPARED_PHOTO_TTL_MS) {
      // Re-inserted last: the Map's order is the eviction order.
      this.entries.set(key, hit);
      return hit.prepared;
    }
    const prepared = prepare();
    const entry = { at: now, prepared };
    this.entries.set(key, entry);
    prepared.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return prepared;
  }
}

export function presetLookup(shopPresets: readonly Preset[] = []): (id: string) => Preset | undefined {
  const byId = new Map([...PRESET_LIBRARY, ...shopPresets].map((preset) => [preset.id, preset]));
  return (id) => byId.get(id);
}

/** Providers that state no prompt limit get one every current image model accepts. */
const DEFAULT_MAX_PROMPT_CHARS = 4000;
/** Reference photos are sent at most this large: enough detail for any model, without multi-megabyte uploads. */
const REFERENCE_MAX_EDGE = 2048;
const CONTENT_TYPES: Record<ImageFormat, string> = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" };
const EXTENSIONS: Record<ImageFormat, string> = { png: "png", jpeg: "jpg", webp: "webp" };

function productPhotoUrl(product: GenerateCandidatesInput["product"]): string | null {
  return product.featuredImageUrl ?? product.media.find((m) => m.url)?.url ?? null;
}

function aspectOf(size: string): number | null {
  const match = /^(\d+)x(\d+)$/.exec(size);
  return match ? Number(match[1]) / Number(match[2]) : null;
}

/** "auto" cannot be lined up with the photo afterwards, so preserving mode picks the fixed size closest in shape. */
function preservingSize(requested: string, provider: ImageProvider, photoAspect: number): string {
  if (aspectOf(requested) !== null) return requested;
  const fixed = provider.capabilities.sizes.fixed;
  const distance = (size: string) => Math.abs(Math.log((aspectOf(size) ?? 1) / photoAspect));
  const best = [...fixed].sort((a, b) => distance(a) - distance(b))[0];
  if (!best) throw new PresetUnsupportedError(`The ${provider.id} provider lists no fixed size to keep the product in place.`);
  return best;
}

async function shrink(image: RawImage, maxEdge: number): Promise<RawImage> {
  if (Math.max(image.width, image.height) <= maxEdge) return image;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .resize(maxEdge, maxEdge, { fit: "inside", kernel: "lanczos3" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: image.channels };
}

/**
 * The photo at its own resolution, widened or heightened to the output's
 * shape by repeating its edge pixels (plain studio backgrounds stay plain),
 * so the generated scene lines up with it pixel for pixel.
 */
async function padToAspect(photo: RawImage, aspect: number): Promise<RawImage> {
  const width = Math.max(photo.width, Math.round(photo.height * aspect));
  const height = Math.max(photo.height, Math.round(photo.width / aspect));
  const left = Math.floor((width - photo.width) / 2);
  const top = Math.floor((height - photo.height) / 2);
  const { data, info } = await sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: photo.channels } })
    .removeAlpha()
    .extend({ left, right: width - photo.width - left, top, bottom: height - photo.height - top, extendWith: "copy" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

async function pngReference(image: RawImage, filename: string): Promise<ReferenceImage> {
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).png().toBuffer();
  return { data, mimeType: "image/png", filename };
}

/**
 * What a provider sends back is checked like a merchant's photo before it is
 * decoded in the worker: a raster format (never SVG), within the pixel and
 * byte limits, not broken. A bad image is the provider's transient fault
 * (the job's bounded retries apply), not a crash or an exhausted worker.
 */
async function decodeProviderImage(bytes: Buffer, keepAlpha: boolean, providerId: string): Promise<RawImage> {
  try {
    await inspectImage(bytes);
    return await decode(bytes, keepAlpha);
  } catch (cause) {
    throw new ProviderError("transient", "The provider returned an image that cannot be used: not an image, damaged, or too large.", { provider: providerId, cause });
  }
}

async function decode(bytes: Buffer, keepAlpha: boolean): Promise<RawImage> {
  let pipeline = sharp(bytes, { failOn: "error" });
  pipeline = keepAlpha ? pipeline.ensureAlpha() : pipeline.flatten({ background: "#ffffff" }).removeAlpha();
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: keepAlpha ? 4 : 3 };
}

/** Downloads and prepares the product photo (none: the size as asked, no references). */
async function preparePhoto(deps: GenerateCandidatesDeps, photoUrl: string | null, preserving: boolean, requestedSize: string): Promise<PreparedPhoto> {
  if (!photoUrl) return { size: requestedSize, references: [], preserved: null };
  const photo = await shrink((await normalizeImage(await deps.fetchImage(photoUrl))).image, REFERENCE_MAX_EDGE);
  if (!preserving) return { size: requestedSize, references: [await pngReference(photo, "product.png")], preserved: null };
  const size = preservingSize(requestedSize, deps.provider, photo.width / photo.height);
  const canvas = await padToAspect(photo, aspectOf(size) ?? 1);
  const cut = await cutOutProduct(canvas);
  if (!cut.ok) throw new ProductCutoutError(cut.reason);
  return {
    size,
    references: [await pngReference(canvas, "product.png")],
    mask: await makeProtectionMask(cut.cutout.alpha),
    preserved: { canvas, alpha: cut.cutout.alpha },
  };
}

/** Time-ordered and unique per attempt, so stored files never change under a key (they can be cached forever). */
function attemptStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace(".", "");
}

/**
 * Makes the candidate images of one batch item and stores them. Provider
 * errors propagate unchanged for the job system to classify; problems with
 * the product or preset are CandidateInputErrors (never retried). The
 * provider's answer is reported to input.onAnswer before anything is stored.
 */
export async function generateCandidates(
  deps: GenerateCandidatesDeps,
  input: GenerateCandidatesInput,
): Promise<GenerateCandidatesResult> {
  const { provider } = deps;
  const { capabilities } = provider;
  const { options, product } = input;

  const preset = deps.presets(input.presetId);
  if (!preset) throw new UnknownPresetError(`The preset "${input.presetId}" no longer exists. Choose another preset.`);
  const [availability] = presetsAvailableFor(capabilities, [preset]);
  if (availability && !availability.available) {
    throw new PresetUnsupportedError(`"${preset.name}" cannot be made with the ${provider.id} provider. ${availability.reason}.`);
  }
  if (options.edit) return editRegion(deps, input, preset, options.edit);

  const needsPhoto = options.useReference || preset.requires.includes("editWithReferences");
  const photoUrl = needsPhoto ? productPhotoUrl(product) : null;
  if (needsPhoto && !photoUrl) {
    throw new MissingProductPhotoError(
      `"${product.title}" has no product photo, and "${preset.name}" works from one. Add a photo to the product in Shopify, then try again.`,
    );
  }
  const transparent = options.background === "transparent";
  // Product-preserving mode: the provider paints only around the product and the original pixels go back on top.
  const preserving = preset.productPreserving && capabilities.mask && capabilities.editWithReferences && !transparent;
  const prepare = () => preparePhoto(deps, photoUrl, preserving, options.size);
  const { size, references, mask, preserved } =
    photoUrl && deps.preparedPhotos
      ? await deps.preparedPhotos.get(JSON.stringify([input.shopId, provider.id, provider.model, photoUrl, preserving, options.size]), prepare)
      : await prepare();

  const variation = planVariations({ preset, count: input.candidatesPerProduct, seed: input.seed })[input.candidateIndex];
  if (!variation) throw new RangeError(`candidateIndex ${input.candidateIndex} is outside 0..${input.candidatesPerProduct - 1}`);
  const { prompt, promptHash } = buildPrompt({
    product,
    preset,
    variation,
    brandKit: options.brandKit && deps.brandKit ? deps.brandKit : EMPTY_BRAND_KIT,
    limits: { maxPromptChars: capabilities.maxPromptChars ?? DEFAULT_MAX_PROMPT_CHARS },
  });

  const request: GenerationRequest = {
    prompt,
    references,
    ...(mask && { mask }),
    n: 1,
    size,
    quality: options.quality,
    background: options.background,
    // Lossless from the provider: the one lossy encode happens below, with the provenance in it.
    outputFormat: capabilities.formats.includes("png") ? "png" : options.format,
    safetyIdentifier: input.safetyIdentifier,
    seed: variation.seed,
    scene: sceneSpecFor(variation.studioScene),
    onModel: preset.onModel !== undefined,
    ...(input.signal && { signal: input.signal }),
  };
  const result = await provider.generate(request);
  await input.onAnswer?.({ costMicros: result.costMicros, providerId: result.provider, model: result.model });

  // A provider that cannot create images can only compose the real photo into a scene.
  const digitalSourceType: DigitalSourceType = !capabilities.generativeAi
    ? "compositeSynthetic"
    : preserved !== null
      ? "compositeWithTrainedAlgorithmicMedia"
      : "trainedAlgorithmicMedia";
  const altText = candidateAltText({
    productTitle: product.title,
    preset,
    variation,
    backdropFromSceneData: !capabilities.generate,
    transparent,
  });
  return storeResult(deps, input, result, { transparent, preserved, digitalSourceType, presetId: preset.id, promptHash, altText });
}

interface StoreOptions {
  transparent: boolean;
  /** Product-preserving mode: the photo and its cut-out, put back on top of every image. */
  preserved: { canvas: RawImage; alpha: RawImage } | null;
  digitalSourceType: DigitalSourceType;
  presetId: string;
  promptHash: string;
  altText: string;
}

/** Runs `work` when fewer than `slots` others are running, first come first served. */
function gate(slots: number): <T>(work: () => Promise<T>) => Promise<T> {
  let free = slots;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}

/**
 * Turning a provider's answer into stored files takes some 25 MB of rasters
 * and a few hundred ms of CPU per image. A worker runs many items at once to
 * cover the provider's latency; left alone, the ones whose answers are in
 * would all decode together, so memory would grow with the concurrency while
 * the CPU, busy either way, goes no faster. One image per core at a time
 * keeps the CPU busy and the rasters few; the others wait holding only the
 * compressed bytes.
 */
const imageWork = gate(Math.max(1, availableParallelism()));

/** Encodes each returned image with its provenance, makes thumbnails and stores all three under the item. */
async function storeResult(
  deps: GenerateCandidatesDeps,
  input: GenerateCandidatesInput,
  result: GenerationResult,
  { transparent, preserved, digitalSourceType, presetId, promptHash, altText }: StoreOptions,
): Promise<GenerateCandidatesResult> {
  const { storage } = deps;
  const { options } = input;
  const stamp = attemptStamp(deps.now());

  const candidates: GeneratedCandidate[] = [];
  for (const [ordinal, image] of result.images.entries()) {
    input.signal?.throwIfAborted();
    const { encoded, thumbs, hash, fidelityScore, fidelityFlagged } = await imageWork(async () => {
      let pixels = await decodeProviderImage(image.data, transparent, deps.provider.id);
      let fidelity: { score: number; flagged: boolean } | null = null;
      if (preserved) {
        pixels = await compositeOriginalProduct(pixels, preserved.canvas, preserved.alpha);
        fidelity = await measureFidelity(pixels, preserved.canvas, preserved.alpha);
      }
      const encodedImage = await encodeOutput(pixels, {
        format: options.format,
        provenance: { digitalSourceType, generator: result.provider, model: result.model, preset: presetId, promptHash },
      });
      const [thumbnails, perceptual] = await Promise.all([makeThumbnails(pixels), perceptualHash(pixels)]);
      return { encoded: encodedImage, thumbs: thumbnails, hash: perceptual, fidelityScore: fidelity?.score ?? null, fidelityFlagged: fidelity?.flagged ?? false };
    });
    const small = thumbs.find((t) => t.edge === 256);
    const large = thumbs.find((t) => t.edge === 768);
    if (!small || !large) throw new Error("Thumbnails were not made at 256 and 768 px");

    const name = `${stamp}-${ordinal}`;
    const storageKey = shopKey(input.shopId, "candidates", input.itemId, `${name}.${EXTENSIONS[encoded.format]}`);
    const thumbSmallKey = shopKey(input.shopId, "candidates", input.itemId, `${name}-256.webp`);
    const thumbLargeKey = shopKey(input.shopId, "candidates", input.itemId, `${name}-768.webp`);
    await storage.put(storageKey, encoded.data, CONTENT_TYPES[encoded.format]);
    await storage.put(thumbSmallKey, small.data, "image/webp");
    await storage.put(thumbLargeKey, large.data, "image/webp");

    candidates.push({
      ordinal,
      storageKey,
      thumbSmallKey,
      thumbLargeKey,
      format: encoded.format,
      width: encoded.width,
      height: encoded.height,
      bytes: encoded.data.length,
      perceptualHash: hash,
      fidelityScore,
      fidelityFlagged,
      promptHash,
      altText,
    });
  }
  return { candidates, costMicros: result.costMicros, providerId: result.provider, model: result.model };
}

/** Longest merchant instruction sent for a region edit; the rest of the prompt frames it. */
const MAX_EDIT_INSTRUCTION_CHARS = 1000;

/**
 * Repaints the region a merchant drew on one of their candidates: the
 * candidate is the reference, the mask's transparent pixels are what the
 * provider may change, and the result is stored as a new candidate.
 */
async function editRegion(deps: GenerateCandidatesDeps, input: GenerateCandidatesInput, preset: Preset, edit: RegionEdit): Promise<GenerateCandidatesResult> {
  const { provider, storage } = deps;
  // Keys are `shops/<shop-id>/…` (storage/types.ts): nothing outside this shop's namespace is read.
  const own = `shops/${input.shopId}/`;
  if (!edit.sourceKey.startsWith(own) || !edit.maskKey.startsWith(own)) {
    throw new CandidateInputError("The image to edit does not belong to this shop.");
  }
  if (!provider.capabilities.mask || !provider.capabilities.editWithReferences) {
    throw new PresetUnsupportedError(`The ${provider.id} provider cannot repaint a region of an image.`);
  }
  const [source, drawn] = await Promise.all([storage.get(edit.sourceKey), storage.get(edit.maskKey)]);
  if (!source || !drawn) throw new CandidateInputError("The image or the region drawn on it is no longer stored. Draw the region again.");
  const transparent = input.options.background === "transparent";
  const image = await decode(source.body, transparent);
  // The provider wants the mask at the image's exact size.
  const mask = await sharp(drawn.body).resize(image.width, image.height, { fit: "fill" }).ensureAlpha().png().toBuffer();
  const instruction = edit.instruction.slice(0, MAX_EDIT_INSTRUCTION_CHARS);
  const prompt =
    `This is a product photo of ${input.product.title}. In the masked area only: ${instruction}. ` +
    "Keep everything outside the masked area exactly as it is, and keep the product true to the photo.";
  const promptHash = createHash("sha256").update(prompt, "utf8").digest("hex");
  const capabilities = provider.capabilities;
  const result = await provider.generate({
    prompt,
    references: [await pngReference(image, "image.png")],
    mask,
    n: 1,
    size: `${image.width}x${image.height}`,
    quality: input.options.quality,
    background: input.options.background,
    outputFormat: capabilities.formats.includes("png") ? "png" : input.options.format,
    safetyIdentifier: input.safetyIdentifier,
    seed: input.seed,
    ...(input.signal && { signal: input.signal }),
  });
  await input.onAnswer?.({ costMicros: result.costMicros, providerId: result.provider, model: result.model });
  return storeResult(deps, input, result, {
    transparent,
    preserved: null,
    digitalSourceType: capabilities.generativeAi ? "compositeWithTrainedAlgorithmicMedia" : "compositeSynthetic",
    presetId: preset.id,
    promptHash,
    altText: edit.altText ?? `${input.product.title}, ${preset.name.toLowerCase()}`,
  });
}
