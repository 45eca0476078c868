/**
 * Uploads and media processing, the way Shopify does them:
 *
 * - `stagedUploadsCreate` hands out a signed form-upload target (a stand-in for
 *   Shopify's Google Cloud Storage bucket) served by this store. The upload must
 *   send every returned parameter unchanged, the declared content type, no more
 *   bytes than the policy allows, before it expires; otherwise it is refused
 *   with GCS's XML errors.
 * - Media attached from a staged upload moves UPLOADED → PROCESSING → READY on
 *   timers, or FAILED with Shopify's media error for bytes that are not an image
 *   or break Shopify's limits.
 * - `productReorderMedia` is a job that finishes a moment later, readable by `job(id)`.
 *
 * State hangs off StoreData in a WeakMap so the seeded catalog stays untouched.
 *
 * Where it approximates Shopify: only POST (form) targets are staged, not PUT;
 * an `originalSource` that is not one of this store's staged uploads is never
 * downloaded and fails with IMAGE_DOWNLOAD_FAILURE; error wording is close to
 * Shopify's, the codes are exactly its enums.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import sharp from "sharp";
import { readBody, send } from "./http";
import type { ShopState, StoreData, StoredMediaImage, StoredProduct } from "./state";

export const STAGED_UPLOAD_PATH = "/shopify-staged-uploads/";
/** Shopify's limits for images. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 25_000_000;
export const MAX_MEDIA_PER_PRODUCT = 250;
const UPLOAD_TTL_MS = 60 * 60_000;

export interface StagedUpload {
  key: string;
  shop: string;
  filename: string;
  mimeType: string;
  expiresAt: number;
  /** The signed parameters exactly as handed out. */
  parameters: { name: string; value: string }[];
  bytes?: Buffer;
}

export interface MediaJob {
  id: string;
  done: boolean;
}

export interface MediaTimings {
  /** UPLOADED → PROCESSING. */
  uploadedMs: number;
  /** PROCESSING → READY/FAILED. */
  processingMs: number;
  /** How long a reorder job stays not done. */
  jobMs: number;
}

export interface MediaState {
  staged: Map<string, StagedUpload>;
  jobs: Map<string, MediaJob>;
  timings: MediaTimings;
  secret: Buffer;
  timers: Set<NodeJS.Timeout>;
}

const states = new WeakMap<StoreData, MediaState>();

export function mediaState(data: StoreData): MediaState {
  let state = states.get(data);
  if (!state) {
    state = {
      staged: new Map(),
      jobs: new Map(),
      timings: { uploadedMs: 20, processingMs: 60, jobMs: 40 },
      secret: randomBytes(32),
      timers: new Set(),
    };
    states.set(data, state);
  }
  return state;
}

export function configureMedia(data: StoreData, timings: Partial<MediaTimings>): void {
  Object.assign(mediaState(data).timings, timings);
}

export function stopMedia(data: StoreData): void {
  const state = states.get(data);
  if (!state) return;
  for (const timer of state.timers) clearTimeout(timer);
  state.timers.clear();
}

function later(state: MediaState, ms: number, run: () => void | Promise<void>): void {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    void Promise.resolve(run()).catch(() => undefined);
  }, ms);
  timer.unref();
  state.timers.add(timer);
}

/** Media detached from every product: still in the shop's Files, as with Shopify. */
const filesByShop = new WeakMap<ShopState, Map<number, StoredMediaImage>>();

export function detachedFiles(shop: ShopState): Map<number, StoredMediaImage> {
  let map = filesByShop.get(shop);
  if (!map) {
    map = new Map();
    filesByShop.set(shop, map);
  }
  return map;
}

// ---------------------------------------------------------------- staged uploads

function sign(state: MediaState, fields: { name: string; value: string }[]): string {
  const canonical = fields.map((f) => `${f.name}=${f.value}`).join("\n");
  return createHmac("sha256", state.secret).update(canonical).digest("hex");
}

export function createStagedTarget(
  data: StoreData,
  origin: string,
  shop: ShopState,
  input: { filename: string; mimeType: string; resource: string },
  now: number,
): { url: string; resourceUrl: string; parameters: { name: string; value: string }[] } {
  const state = mediaState(data);
  const key = `tmp/${shop.id}/${input.resource === "FILE" ? "files" : "products"}/${randomUUID()}/${input.filename}`;
  const expiresAt = now + UPLOAD_TTL_MS;
  const signed = [
    { name: "Content-Type", value: input.mimeType },
    { name: "success_action_status", value: "201" },
    { name: "acl", value: "private" },
    { name: "key", value: key },
    { name: "x-goog-date", value: new Date(now).toISOString().replace(/[-:]|\.\d{3}/g, "") },
    { name: "x-goog-credential", value: `local-store@shopify-staged-uploads/${new Date(now).toISOString().slice(0, 10).replace(/-/g, "")}/auto/storage/goog4_request` },
    { name: "x-goog-algorithm", value: "GOOG4-HMAC-SHA256" },
    { name: "policy", value: Buffer.from(JSON.stringify({ expiration: new Date(expiresAt).toISOString(), key, maxBytes: MAX_IMAGE_BYTES })).toString("base64") },
  ];
  const parameters = [...signed, { name: "x-goog-signature", value: sign(state, signed) }];
  state.staged.set(key, { key, shop: shop.domain, filename: input.filename, mimeType: input.mimeType, expiresAt, parameters });
  const url = `${origin}${STAGED_UPLOAD_PATH}`;
  return { url, resourceUrl: `${url}${key}`, parameters };
}

function gcsError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`, "application/xml; charset=UTF-8");
}

/** The bucket's form-upload endpoint. Answers true when it handled the request. */
export async function handleStagedUpload(data: StoreData, req: IncomingMessage, res: ServerResponse, url: URL, now: number): Promise<boolean> {
  if (url.pathname !== STAGED_UPLOAD_PATH) return false;
  if (req.method !== "POST") {
    gcsError(res, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    return true;
  }
  const state = mediaState(data);
  const body = await readBody(req);
  let form: FormData;
  try {
    form = await new Request(url, { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" }, body: new Uint8Array(body) }).formData();
  } catch {
    gcsError(res, 400, "InvalidArgument", "Invalid argument: the request is not a multipart form.");
    return true;
  }
  const key = form.get("key");
  const upload = typeof key === "string" ? state.staged.get(key) : undefined;
  if (!upload) {
    gcsError(res, 403, "AccessDenied", "Access denied: no upload was staged for this key.");
    return true;
  }
  const signed = upload.parameters.filter((p) => p.name !== "x-goog-signature");
  const sent = signed.map((p) => ({ name: p.name, value: String(form.get(p.name) ?? "") }));
  const expected = Buffer.from(sign(state, signed), "hex");
  const given = Buffer.from(sign(state, sent), "hex");
  const signature = String(form.get("x-goog-signature") ?? "");
  if (!timingSafeEqual(expected, given) || signature !== upload.parameters.at(-1)!.value) {
    gcsError(res, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
    return true;
  }
  if (now > upload.expiresAt) {
    gcsError(res, 400, "InvalidPolicyDocument", "The content of the form does not meet the conditions specified in the policy document. Policy expired.");
    return true;
  }
  const file = form.get("file");
  if (!(file instanceof Blob)) {
    gcsError(res, 400, "InvalidArgument", "Invalid argument: the form has no file field.");
    return true;
  }
  if (file.type && file.type !== upload.mimeType) {
    gcsError(res, 400, "InvalidPolicyDocument", "The content of the form does not meet the conditions specified in the policy document. Content-Type does not match.");
    return true;
  }
  if (file.size > MAX_IMAGE_BYTES) {
    gcsError(res, 400, "EntityTooLarge", "Your proposed upload is larger than the maximum object size specified in your Policy Document.");
    return true;
  }
  upload.bytes = Buffer.from(await file.arrayBuffer());
  send(
    res,
    201,
    `<?xml version="1.0" encoding="UTF-8"?><PostResponse><Location>${url.origin}${STAGED_UPLOAD_PATH}${upload.key}</Location><Key>${upload.key}</Key></PostResponse>`,
    "application/xml; charset=UTF-8",
  );
  return true;
}

/** The upload behind a staged resourceUrl, if it is one of this shop's. */
export function stagedUploadFor(data: StoreData, shop: string, resourceUrl: string): StagedUpload | undefined {
  let pathname: string;
  try {
    pathname = new URL(resourceUrl).pathname;
  } catch {
    return undefined;
  }
  if (!pathname.startsWith(STAGED_UPLOAD_PATH)) return undefined;
  const upload = mediaState(data).staged.get(decodeURIComponent(pathname.slice(STAGED_UPLOAD_PATH.length)));
  return upload?.shop === shop ? upload : undefined;
}

// ---------------------------------------------------------------- media processing

/** Shopify keeps file names unique per shop by adding `_<uuid>` before the extension. */
export function uniqueFileName(data: StoreData, shop: ShopState, wanted: string): string {
  const taken = new Set<string>();
  for (const product of shop.products.values()) for (const m of product.media) taken.add(m.image.fileName);
  for (const m of detachedFiles(shop).values()) taken.add(m.image.fileName);
  if (!taken.has(wanted)) return wanted;
  const dot = wanted.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [wanted.slice(0, dot), wanted.slice(dot)] : [wanted, ""];
  return `${stem}_${randomUUID()}${ext}`;
}

export function newMediaFromSource(data: StoreData, shop: ShopState, source: string, alt: string, nowIso: string): StoredMediaImage {
  const upload = stagedUploadFor(data, shop.domain, source);
  const wanted = upload?.filename ?? (safeName(source) || "image.png");
  return {
    id: data.nextId(),
    alt,
    status: "UPLOADED",
    createdAt: nowIso,
    errors: [],
    image: {
      id: data.nextId(),
      fileName: uniqueFileName(data, shop, wanted),
      width: 0,
      height: 0,
      version: Math.floor(Date.parse(nowIso) / 1000),
      source: { kind: "bytes", bytes: upload?.bytes ?? Buffer.alloc(0) },
    },
    ...(upload?.bytes ? {} : { pendingError: { code: "IMAGE_DOWNLOAD_FAILURE", message: "Image download failed.", details: null } }),
  };
}

function safeName(source: string): string {
  try {
    return decodeURIComponent(new URL(source).pathname.split("/").pop() ?? "");
  } catch {
    return "";
  }
}

/** Runs Shopify's processing on a timer: the status moves on its own, as at Shopify. */
export function processMedia(data: StoreData, media: StoredMediaImage): void {
  const state = mediaState(data);
  later(state, state.timings.uploadedMs, () => {
    if (media.status !== "UPLOADED") return;
    media.status = "PROCESSING";
    later(state, state.timings.processingMs, async () => {
      const outcome = await inspect(media);
      if ("error" in outcome) {
        media.status = "FAILED";
        media.errors = [outcome.error];
        return;
      }
      media.image.width = outcome.width;
      media.image.height = outcome.height;
      media.status = "READY";
    });
  });
}

type Inspection = { width: number; height: number } | { error: { code: string; message: string; details: string | null } };

async function inspect(media: StoredMediaImage): Promise<Inspection> {
  if (media.pendingError) return { error: media.pendingError };
  const source = media.image.source;
  const bytes = source.kind === "bytes" ? source.bytes : null;
  if (!bytes) return { error: { code: "UNKNOWN", message: "Unknown error.", details: null } };
  if (bytes.length > MAX_IMAGE_BYTES) {
    return { error: { code: "INVALID_IMAGE_FILE_SIZE", message: "Image file size is invalid.", details: "Images must be 20 MB or smaller." } };
  }
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(bytes).metadata();
  } catch {
    return { error: { code: "UNSUPPORTED_IMAGE_FILE_TYPE", message: "Image file type is not supported.", details: null } };
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width * height > MAX_IMAGE_PIXELS) {
    return { error: { code: "INVALID_IMAGE_RESOLUTION", message: "Image resolution is invalid.", details: "Images must be 25 megapixels or smaller." } };
  }
  try {
    // A valid header over truncated data only fails when decoded.
    await sharp(bytes).raw().toBuffer();
  } catch {
    return { error: { code: "IMAGE_PROCESSING_FAILURE", message: "Image processing failed.", details: null } };
  }
  return { width, height };
}

// ---------------------------------------------------------------- reorder jobs

/** Applies the moves a moment later, when the job finishes, as Shopify's job queue does. */
export function startReorderJob(data: StoreData, product: StoredProduct, moves: { mediaId: number; newPosition: number }[]): MediaJob {
  const state = mediaState(data);
  const job: MediaJob = { id: `gid://shopify/Job/${randomUUID()}`, done: false };
  state.jobs.set(job.id, job);
  later(state, state.timings.jobMs, () => {
    for (const move of moves) {
      const media = product.media.find((m) => m.id === move.mediaId);
      if (!media) continue;
      product.media.splice(product.media.indexOf(media), 1);
      product.media.splice(Math.min(move.newPosition, product.media.length), 0, media);
    }
    product.updatedAt = new Date().toISOString();
    job.done = true;
  });
  return job;
}
