/**
 * Writing an approved candidate to its product's media in Shopify, and undoing it.
 *
 * Every step is recorded before the next starts (see publication.ts), so a
 * publish interrupted anywhere finishes on retry without attaching the image
 * twice: the only step whose answer can be lost after Shopify acted is the
 * attach, and a retry first looks for media carrying our per-candidate file
 * name. Undo only ever touches the media this app attached.
 */
import type { Db } from "~/db/client.server";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { AdminApiError, type AdminGraphql } from "~/shopify/admin-graphql.server";
import {
  ACCEPTED_IMAGE_TYPES,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_PIXELS,
  MAX_MEDIA_PER_PRODUCT,
  ShopifyMediaError,
  attachImageToProduct,
  createStagedUpload,
  detachMediaFromProduct,
  getProductGallery,
  reorderProductMedia,
  uploadToStagedTarget,
  waitForMediaReady,
  type FetchLike,
  type GalleryMedia,
  type ProductGallery,
} from "~/shopify/media.server";
import type { ObjectStorage } from "~/storage/types";
import {
  PublishRefusedError,
  isOurFile,
  publicationFileName,
  stepReached,
  type PublicationStatus,
  type PublicationStep,
  type PublicationView,
} from "./publication";

export interface PublishDeps {
  db: Db;
  /** An Admin client for the shop's domain (the request's, or the offline session's in a worker). */
  admin(shopDomain: string): Promise<AdminGraphql>;
  storage: Pick<ObjectStorage, "get">;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** Uploads to staged targets; the global fetch by default. */
  fetch?: FetchLike;
  /** How long to wait for Shopify to process an image before trying again later. */
  mediaTimeoutMs?: number;
}

/** Shopify's limit on alt text. */
const MAX_ALT_CHARS = 512;
const MAX_REASON_CHARS = 500;

type PublicationRow = NonNullable<Awaited<ReturnType<Db["publication"]["findFirst"]>>>;

export function toView(row: PublicationRow): PublicationView {
  return {
    candidateId: row.candidateId,
    productGid: row.productGid,
    status: row.status as PublicationStatus,
    step: row.step as PublicationStep,
    makeFeatured: row.makeFeatured,
    shopifyMediaId: row.shopifyMediaId,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    publishedAt: row.publishedAt,
    undoneAt: row.undoneAt,
  };
}

/**
 * Records the merchant's request: creates the publication (or re-arms one
 * that failed or was undone). Publishing a candidate that is already
 * published or on its way changes nothing. Returns whether work is needed.
 */
export async function requestPublication(
  db: Db,
  input: { shopId: string; candidateId: string; makeFeatured: boolean },
): Promise<{ publication: PublicationView; needsRun: boolean }> {
  const candidate = await db.candidate.findFirst({ where: { id: input.candidateId, shopId: input.shopId } });
  if (!candidate) throw new PublishRefusedError("This image no longer exists", "CANDIDATE_NOT_FOUND");
  const existing = await db.publication.findFirst({ where: { candidateId: candidate.id, shopId: input.shopId } });
  if (existing && (existing.status === "published" || existing.status === "publishing")) {
    return { publication: toView(existing), needsRun: existing.status === "publishing" };
  }
  if (existing?.status === "undoing") throw new PublishRefusedError("This image is being removed from the product; publish it again once that has finished", "UNDO_IN_PROGRESS");
  if (candidate.status !== "approved" && candidate.status !== "published") {
    throw new PublishRefusedError("Only approved images can be published", "NOT_APPROVED");
  }
  const fresh = { status: "publishing", makeFeatured: input.makeFeatured, errorCode: null, errorMessage: null, attempts: 0, undoneAt: null };
  const row = existing
    ? await db.publication.update({
        where: { id: existing.id },
        // After an undo everything starts over; after a failure the recorded step is kept and resumed.
        data: existing.status === "undone" ? { ...fresh, step: "requested", stagedResourceUrl: null, shopifyMediaId: null, mediaBeforeJson: null, mediaAfterJson: null, publishedAt: null } : fresh,
      })
    : await db.publication.create({
        data: {
          shopId: input.shopId,
          candidateId: candidate.id,
          productGid: candidate.productGid,
          makeFeatured: input.makeFeatured,
          fileName: publicationFileName(candidate.id, candidate.format),
        },
      });
  return { publication: toView(row), needsRun: true };
}

/**
 * Records the merchant's undo request so the gallery shows it at once; the
 * job does the work. Undoing what is already undone changes nothing.
 */
export async function requestUndoPublication(db: Db, input: { shopId: string; candidateId: string }): Promise<{ publication: PublicationView; needsRun: boolean }> {
  const row = await db.publication.findFirst({ where: { candidateId: input.candidateId, shopId: input.shopId } });
  if (!row) throw new PublishRefusedError("This image was never published", "NOT_PUBLISHED");
  if (row.status === "undone" || row.status === "undoing") return { publication: toView(row), needsRun: row.status === "undoing" };
  if (row.status === "publishing") throw new PublishRefusedError("This image is still being published; undo it once that has finished", "PUBLISH_IN_PROGRESS");
  const updated = await db.publication.update({ where: { id: row.id }, data: { status: "undoing", errorCode: null, errorMessage: null, attempts: 0 } });
  return { publication: toView(updated), needsRun: true };
}

/** Both use cases report failures the same way: retryable ones are rethrown as they are. */
export class PublishRetryableError extends Error {
  override name = "PublishRetryableError";
}

/**
 * Runs (or resumes) a publication to the end. Idempotent: a published one is
 * returned as it is. Throws PublishRefusedError when retrying cannot help (the
 * publication is then `failed` with the reason) and PublishRetryableError when
 * it can (unless `finalAttempt`, which records the failure instead).
 */
export async function publishCandidate(
  deps: PublishDeps,
  input: { shopId: string; candidateId: string; makeFeatured?: boolean; finalAttempt?: boolean },
): Promise<PublicationView> {
  const { db } = deps;
  let row = await db.publication.findFirst({ where: { candidateId: input.candidateId, shopId: input.shopId } });
  if (!row || row.status === "undone" || row.status === "failed") {
    const requested = await requestPublication(db, {
      shopId: input.shopId,
      candidateId: input.candidateId,
      makeFeatured: input.makeFeatured ?? row?.makeFeatured ?? false,
    });
    if (!requested.needsRun) return requested.publication;
    row = await db.publication.findFirstOrThrow({ where: { candidateId: input.candidateId, shopId: input.shopId } });
  }
  if (row.status === "published") return toView(row);
  if (row.status !== "publishing") throw new PublishRefusedError("This image is being removed from the product", "UNDO_IN_PROGRESS");

  await db.publication.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
  try {
    return await runPublication(deps, row);
  } catch (error) {
    return await recordFailure(db, row.id, error, input.finalAttempt ?? false, "failed");
  }
}

async function runPublication(deps: PublishDeps, start: PublicationRow): Promise<PublicationView> {
  const { db } = deps;
  let row = start;
  const save = async (data: Parameters<Db["publication"]["update"]>[0]["data"]) => {
    row = await db.publication.update({ where: { id: row.id }, data });
    return row;
  };
  const candidate = await db.candidate.findFirstOrThrow({ where: { id: row.candidateId, shopId: row.shopId } });
  const shop = await db.shop.findUniqueOrThrow({ where: { id: row.shopId } });
  const admin = await deps.admin(shop.domain);
  const wait = { sleep: deps.sleep, now: () => deps.now().getTime() };

  if (!stepReached(row.step, "attached")) {
    checkShopifyLimits(candidate);
    const gallery = await requireGallery(admin, row.productGid);
    const alt = await altTextFor(db, candidate, gallery.title);
    const ours = row.mediaBeforeJson ? findOurs(gallery.media, parseIds(row.mediaBeforeJson) ?? [], row.fileName, alt) : undefined;
    if (ours) {
      // Attached by an earlier attempt whose answer never reached us.
      await save({ step: "attached", shopifyMediaId: ours.id });
    } else {
      if (gallery.mediaCount >= MAX_MEDIA_PER_PRODUCT) {
        throw new PublishRefusedError(
          `This product already has ${gallery.mediaCount} media, Shopify's limit is ${MAX_MEDIA_PER_PRODUCT}. Remove some before publishing more.`,
          "PRODUCT_MEDIA_LIMIT_EXCEEDED",
        );
      }
      const before = idsJson(gallery.media);
      await save({ mediaBeforeJson: before });
      if (!stepReached(row.step, "staged") || !row.stagedResourceUrl) {
        const object = await deps.storage.get(candidate.storageKey);
        if (!object) throw new PublishRefusedError("The image file is missing from storage", "IMAGE_MISSING");
        const mimeType = ACCEPTED_IMAGE_TYPES[candidate.format]!;
        const target = await createStagedUpload(admin, { filename: row.fileName, mimeType, fileSize: object.body.length, resource: "IMAGE" });
        await uploadToStagedTarget(target, { bytes: object.body, filename: row.fileName, mimeType }, deps.fetch);
        await save({ step: "staged", stagedResourceUrl: target.resourceUrl });
      }
      const tail = await attachImageToProduct(admin, row.productGid, { originalSource: row.stagedResourceUrl!, alt });
      const attached =
        findOurs(tail, parseIds(before) ?? [], row.fileName, alt) ??
        findOurs((await requireGallery(admin, row.productGid)).media, parseIds(before) ?? [], row.fileName, alt);
      if (!attached) throw new PublishRetryableError("Shopify accepted the image but it is not on the product yet");
      await save({ step: "attached", shopifyMediaId: attached.id });
    }
  }

  const mediaId = row.shopifyMediaId!;
  if (!stepReached(row.step, "ready")) {
    try {
      await waitForMediaReady(admin, mediaId, { ...wait, ...(deps.mediaTimeoutMs !== undefined && { timeoutMs: deps.mediaTimeoutMs }) });
    } catch (error) {
      if (error instanceof ShopifyMediaError && !error.retryable && error.code !== "MEDIA_DOES_NOT_EXIST") {
        // A broken image must not stay in the merchant's gallery; it is ours, so it goes.
        await detachMediaFromProduct(admin, mediaId, row.productGid).catch(() => undefined);
        await save({ step: "requested", shopifyMediaId: null, stagedResourceUrl: null });
      }
      throw error;
    }
    await save({ step: "ready" });
  }

  if (row.makeFeatured && !stepReached(row.step, "featured")) {
    const gallery = await requireGallery(admin, row.productGid);
    if (gallery.media[0]?.id !== mediaId) await reorderProductMedia(admin, row.productGid, [{ id: mediaId, newPosition: 0 }], wait);
    await save({ step: "featured" });
  }

  const after = await requireGallery(admin, row.productGid);
  const now = deps.now();
  const [published] = await db.$transaction([
    db.publication.update({
      where: { id: row.id },
      data: { status: "published", publishedAt: now, mediaAfterJson: idsJson(after.media), errorCode: null, errorMessage: null },
    }),
    db.candidate.updateMany({ where: { id: row.candidateId, shopId: row.shopId }, data: { status: "published", shopifyMediaId: mediaId } }),
  ]);
  return toView(published);
}

/**
 * Removes the media this app attached for the candidate and puts the gallery
 * back in the order it had before, unless the merchant has rearranged it
 * since (their order wins). Idempotent.
 */
export async function undoPublication(
  deps: PublishDeps,
  input: { shopId: string; candidateId: string; finalAttempt?: boolean },
): Promise<PublicationView> {
  const { db } = deps;
  const row = await db.publication.findFirst({ where: { candidateId: input.candidateId, shopId: input.shopId } });
  if (!row) throw new PublishRefusedError("This image was never published", "NOT_PUBLISHED");
  if (row.status === "undone") return toView(row);
  if (row.status === "publishing") throw new PublishRefusedError("This image is still being published; undo it once that has finished", "PUBLISH_IN_PROGRESS");
  await db.publication.update({ where: { id: row.id }, data: { status: "undoing", attempts: { increment: 1 } } });
  try {
    const shop = await db.shop.findUniqueOrThrow({ where: { id: row.shopId } });
    const admin = await deps.admin(shop.domain);
    const gallery = await getProductGallery(admin, row.productGid);
    if (gallery) {
      const ours = gallery.media.find((m) => m.id === row.shopifyMediaId || isOurFile(m.fileName, row.fileName));
      let remaining = gallery.media;
      if (ours) {
        await detachMediaFromProduct(admin, ours.id, row.productGid);
        remaining = gallery.media.filter((m) => m.id !== ours.id);
      }
      const moves = restoringMoves(remaining, parseIds(row.mediaBeforeJson), parseIds(row.mediaAfterJson), ours?.id ?? row.shopifyMediaId);
      if (moves.length > 0) {
        await reorderProductMedia(admin, row.productGid, moves, { sleep: deps.sleep, now: () => deps.now().getTime() });
      }
    }
    const [undone] = await db.$transaction([
      db.publication.update({
        where: { id: row.id },
        data: { status: "undone", undoneAt: deps.now(), step: "requested", shopifyMediaId: null, stagedResourceUrl: null },
      }),
      db.candidate.updateMany({ where: { id: row.candidateId, shopId: row.shopId, status: "published" }, data: { status: "approved", shopifyMediaId: null } }),
    ]);
    return toView(undone);
  } catch (error) {
    return await recordFailure(db, row.id, error, input.finalAttempt ?? false, "undo_failed");
  }
}

/**
 * Moves that return the merchant's media to the order they had before we
 * published. Only when the gallery is still exactly as we left it (minus our
 * image): if the merchant rearranged it since, their order stays.
 */
export function restoringMoves(
  current: Pick<GalleryMedia, "id">[],
  before: string[] | null,
  afterPublish: string[] | null,
  ourMediaId: string | null,
): { id: string; newPosition: number }[] {
  if (!before || !afterPublish) return [];
  const currentIds = current.map((m) => m.id);
  const leftAsWeLeftIt = afterPublish.filter((id) => id !== ourMediaId);
  if (!sameList(currentIds, leftAsWeLeftIt)) return [];
  const target = before.filter((id) => currentIds.includes(id));
  if (target.length !== currentIds.length || sameList(currentIds, target)) return [];
  const moves: { id: string; newPosition: number }[] = [];
  const working = [...currentIds];
  target.forEach((id, position) => {
    if (working[position] === id) return;
    working.splice(working.indexOf(id), 1);
    working.splice(position, 0, id);
    moves.push({ id, newPosition: position });
  });
  return moves;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function idsJson(media: Pick<GalleryMedia, "id">[]): string {
  return JSON.stringify(media.map((m) => m.id));
}

function parseIds(json: string | null): string[] | null {
  if (!json) return null;
  const parsed = JSON.parse(json) as unknown;
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === "string") : null;
}

async function requireGallery(admin: AdminGraphql, productGid: string): Promise<ProductGallery> {
  const gallery = await getProductGallery(admin, productGid);
  if (!gallery) throw new PublishRefusedError("The product no longer exists in Shopify", "PRODUCT_DOES_NOT_EXIST");
  return gallery;
}

/**
 * Media we attached, among media that were not on the product before we
 * started. Shopify only reveals the file name once the image is processed;
 * until then our exact alt text tells it apart from a merchant's upload.
 */
function findOurs(media: GalleryMedia[], before: string[], fileName: string, alt: string): GalleryMedia | undefined {
  const added = media.filter((m) => !before.includes(m.id));
  return added.find((m) => isOurFile(m.fileName, fileName)) ?? added.find((m) => !m.fileName && m.alt === alt);
}

/** Shopify's limits, checked from the candidate's stored metadata before anything is uploaded. */
export function checkShopifyLimits(candidate: { format: string; bytes: number; width: number; height: number }): void {
  if (!ACCEPTED_IMAGE_TYPES[candidate.format]) {
    throw new PublishRefusedError(`Shopify does not accept ${candidate.format.toUpperCase()} images for products (use PNG, JPEG or WebP)`, "UNSUPPORTED_IMAGE_FILE_TYPE");
  }
  if (candidate.bytes > MAX_IMAGE_BYTES) {
    const mb = (candidate.bytes / 1024 / 1024).toFixed(1);
    throw new PublishRefusedError(`The image is ${mb} MB; Shopify accepts product images up to 20 MB`, "INVALID_IMAGE_FILE_SIZE");
  }
  const pixels = candidate.width * candidate.height;
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new PublishRefusedError(
      `The image is ${candidate.width}×${candidate.height} (${(pixels / 1e6).toFixed(1)} megapixels); Shopify accepts up to 25 megapixels`,
      "INVALID_IMAGE_RESOLUTION",
    );
  }
}

/**
 * Written at generation for people using screen readers (product, scene, and
 * on-model what is shown). Older candidates without one get the product and
 * the preset's name: still a description, never the prompt.
 */
async function altTextFor(db: Db, candidate: { shopId: string; productGid: string; presetId: string; altText: string | null }, productTitle: string): Promise<string> {
  if (candidate.altText?.trim()) return candidate.altText.trim().slice(0, MAX_ALT_CHARS);
  const preset =
    PRESET_LIBRARY.find((p) => p.id === candidate.presetId)?.name ??
    (await db.shopPreset.findFirst({ where: { id: candidate.presetId, shopId: candidate.shopId } }))?.name;
  return (preset ? `${productTitle}, ${preset.toLowerCase()}` : productTitle).slice(0, MAX_ALT_CHARS);
}

function isRetryable(error: unknown): boolean {
  if (error instanceof PublishRefusedError) return false;
  if (error instanceof ShopifyMediaError) return error.retryable;
  // Validation and access errors do not go away; only a throttle we gave up on does.
  if (error instanceof AdminApiError) return error.code === "THROTTLED";
  return true;
}

function errorCodeOf(error: unknown): string {
  if (error instanceof PublishRefusedError) return error.code;
  if (error instanceof ShopifyMediaError) return error.code ?? "SHOPIFY_REFUSED";
  if (error instanceof AdminApiError) return error.code ?? "ADMIN_API_ERROR";
  return "UNEXPECTED";
}

async function recordFailure(
  db: Db,
  id: string,
  error: unknown,
  finalAttempt: boolean,
  failedStatus: "failed" | "undo_failed",
): Promise<never> {
  const retryable = isRetryable(error);
  const message = ((error as Error).message || String(error)).slice(0, MAX_REASON_CHARS);
  const code = errorCodeOf(error);
  // While retries remain the status stays publishing/undoing, with the reason shown beside it.
  const status = retryable && !finalAttempt ? undefined : failedStatus;
  await db.publication.update({ where: { id }, data: { errorCode: code, errorMessage: message, ...(status && { status }) } });
  if (retryable && !finalAttempt) throw new PublishRetryableError(message, { cause: error });
  throw error instanceof PublishRefusedError ? error : new PublishRefusedError(message, code);
}
