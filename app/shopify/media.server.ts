/**
 * Product media and file writes through the Admin API: staged uploads, attaching
 * an image to a product, waiting for Shopify to process it, reordering, and
 * detaching. Mapped to small types of our own so nothing outside app/shopify/
 * depends on Shopify's response shapes.
 */
import type {
  FileUpdateReferencesMutation,
  FileUpdateReferencesMutationVariables,
  JobStatusQuery,
  JobStatusQueryVariables,
  MediaStatusQuery,
  MediaStatusQueryVariables,
  ProductAttachMediaMutation,
  ProductAttachMediaMutationVariables,
  ProductGalleryQuery,
  ProductGalleryQueryVariables,
  ProductMediaCountQuery,
  ProductMediaCountQueryVariables,
  ProductReorderGalleryMutation,
  ProductReorderGalleryMutationVariables,
  StagedUploadCreateMutation,
  StagedUploadCreateMutationVariables,
} from "~/types/admin.generated";
import type { MediaContentType, StagedUploadHttpMethodType, StagedUploadTargetGenerateUploadResource } from "~/types/admin.types";
import type { AdminGraphql } from "./admin-graphql.server";

/** Shopify's per-product media limit. */
export const MAX_MEDIA_PER_PRODUCT = 250;
/** Shopify refuses images larger than 20 MB or 25 megapixels. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 25_000_000;
/** Image formats Shopify accepts for product media, by MIME type. */
export const ACCEPTED_IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: "image/png",
  jpeg: "image/jpeg",
  jpg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  heic: "image/heic",
};

/**
 * Shopify refused or failed a media operation. `code` is Shopify's own
 * (MediaErrorCode, MediaUserErrorCode, FilesErrorCode) when it gave one;
 * `retryable` says whether sending the same request again could help.
 */
export class ShopifyMediaError extends Error {
  override name = "ShopifyMediaError";
  constructor(
    message: string,
    readonly code: string | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------- staged uploads

export const STAGED_UPLOAD_CREATE = `#graphql
  mutation StagedUploadCreate($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets {
        url
        resourceUrl
        parameters {
          name
          value
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface StagedTarget {
  /** Where the bytes go. */
  url: string;
  /** What productUpdate/fileCreate take as `originalSource`. */
  resourceUrl: string;
  parameters: { name: string; value: string }[];
}

export interface StagedUploadRequest {
  filename: string;
  mimeType: string;
  fileSize: number;
  /** IMAGE for product media; FILE for the Files page (fileCreate). */
  resource: "IMAGE" | "FILE";
}

export async function createStagedUpload(admin: AdminGraphql, request: StagedUploadRequest): Promise<StagedTarget> {
  const data = await admin.request<StagedUploadCreateMutation, StagedUploadCreateMutationVariables>(STAGED_UPLOAD_CREATE, {
    input: [
      {
        filename: request.filename,
        mimeType: request.mimeType,
        fileSize: String(request.fileSize),
        resource: request.resource as StagedUploadTargetGenerateUploadResource,
        // POST is the form upload Shopify documents for images; the parameters become form fields.
        httpMethod: "POST" as StagedUploadHttpMethodType,
      },
    ],
  });
  const payload = data.stagedUploadsCreate;
  const refusal = payload?.userErrors[0];
  if (refusal) throw new ShopifyMediaError(`Shopify refused the upload: ${refusal.message}`, null, false);
  const target = payload?.stagedTargets?.[0];
  if (!target?.url || !target.resourceUrl) throw new ShopifyMediaError("Shopify returned no upload target", null, true);
  return { url: target.url, resourceUrl: target.resourceUrl, parameters: target.parameters.map((p) => ({ name: p.name, value: p.value })) };
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Sends the bytes to a staged target the way its storage expects: a multipart
 * form with every returned parameter, in order, and the file last (the
 * signature covers the parameters, so none may be dropped or changed).
 */
export async function uploadToStagedTarget(
  target: StagedTarget,
  file: { bytes: Buffer; filename: string; mimeType: string },
  fetchFn: FetchLike = fetch,
): Promise<void> {
  const form = new FormData();
  for (const { name, value } of target.parameters) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }), file.filename);
  let response: Response;
  try {
    response = await fetchFn(target.url, { method: "POST", body: form });
  } catch (error) {
    throw new ShopifyMediaError(`The upload to Shopify's storage failed: ${(error as Error).message}`, null, true);
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => "")).slice(0, 300);
    // 4xx: the signed form was refused (expired, mismatched); a new staged target is needed.
    throw new ShopifyMediaError(
      `Shopify's storage refused the upload (HTTP ${response.status})${body ? `: ${body}` : ""}`,
      `HTTP_${response.status}`,
      true,
    );
  }
}

// ---------------------------------------------------------------- gallery

const MEDIA_FIELDS = `#graphql
  fragment GalleryMedia on Media {
    id
    alt
    status
    mediaContentType
    mediaErrors {
      code
      message
      details
    }
    ... on MediaImage {
      image {
        url
        width
        height
      }
    }
  }
`;

export const PRODUCT_MEDIA_COUNT_QUERY = `#graphql
  query ProductMediaCount($id: ID!) {
    product(id: $id) {
      id
      mediaCount {
        count
      }
    }
  }
`;

export const PRODUCT_GALLERY_QUERY = `#graphql
  query ProductGallery($id: ID!, $first: Int!) {
    product(id: $id) {
      id
      title
      mediaCount {
        count
      }
      media(first: $first) {
        nodes {
          ...GalleryMedia
        }
      }
    }
  }
  ${MEDIA_FIELDS}
`;

export const MEDIA_STATUS_QUERY = `#graphql
  query MediaStatus($id: ID!) {
    node(id: $id) {
      ...GalleryMedia
    }
  }
  ${MEDIA_FIELDS}
`;

export type MediaStatus = "UPLOADED" | "PROCESSING" | "READY" | "FAILED";

export interface GalleryMedia {
  id: string;
  alt: string | null;
  status: MediaStatus;
  mediaContentType: string;
  imageUrl: string | null;
  /** The file name in the CDN URL, e.g. `pis-abc.png`; Shopify may add `_<uuid>` before the extension. */
  fileName: string | null;
  errors: { code: string; message: string; details: string | null }[];
}

export interface ProductGallery {
  id: string;
  title: string;
  mediaCount: number;
  /** In gallery order; the first is the featured media. */
  media: GalleryMedia[];
}

type MediaNode = NonNullable<ProductGalleryQuery["product"]>["media"]["nodes"][number];

function toGalleryMedia(node: MediaNode): GalleryMedia {
  const url = "image" in node ? (node.image?.url ?? null) : null;
  return {
    id: node.id,
    alt: node.alt ?? null,
    status: node.status,
    mediaContentType: node.mediaContentType,
    imageUrl: url,
    fileName: url ? decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "") || null : null,
    errors: node.mediaErrors.map((e) => ({ code: e.code, message: e.message, details: e.details ?? null })),
  };
}

/**
 * The whole gallery in order; null when the product does not exist (or is not
 * this shop's). Shopify prices a connection by the page size asked for, not
 * the items returned, and holds that price against the bucket until the
 * answer: asking for all 250 every time would cost ~750 points where a
 * typical gallery costs ~30. So the count comes first (2 points), and the
 * page is sized to it, with room for media added in between.
 */
export async function getProductGallery(admin: AdminGraphql, productGid: string): Promise<ProductGallery | null> {
  const counted = await admin.request<ProductMediaCountQuery, ProductMediaCountQueryVariables>(PRODUCT_MEDIA_COUNT_QUERY, { id: productGid });
  if (!counted.product) return null;
  let first = Math.min(MAX_MEDIA_PER_PRODUCT, (counted.product.mediaCount?.count ?? MAX_MEDIA_PER_PRODUCT) + 5);
  let data = await admin.request<ProductGalleryQuery, ProductGalleryQueryVariables>(PRODUCT_GALLERY_QUERY, { id: productGid, first });
  if (data.product && data.product.media.nodes.length >= first && first < MAX_MEDIA_PER_PRODUCT) {
    first = MAX_MEDIA_PER_PRODUCT;
    data = await admin.request<ProductGalleryQuery, ProductGalleryQueryVariables>(PRODUCT_GALLERY_QUERY, { id: productGid, first });
  }
  const product = data.product;
  if (!product) return null;
  return {
    id: product.id,
    title: product.title,
    mediaCount: product.mediaCount?.count ?? product.media.nodes.length,
    media: product.media.nodes.map(toGalleryMedia),
  };
}

/** null when the media no longer exists. */
export async function getMedia(admin: AdminGraphql, mediaId: string): Promise<GalleryMedia | null> {
  const data = await admin.request<MediaStatusQuery, MediaStatusQueryVariables>(MEDIA_STATUS_QUERY, { id: mediaId });
  const node = data.node;
  if (!node || !("status" in node)) return null;
  return toGalleryMedia(node as MediaNode);
}

// ---------------------------------------------------------------- attach

export const PRODUCT_ATTACH_MEDIA = `#graphql
  mutation ProductAttachMedia($product: ProductUpdateInput!, $media: [CreateMediaInput!]) {
    productUpdate(product: $product, media: $media) {
      product {
        id
        media(last: 10) {
          nodes {
            ...GalleryMedia
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
  ${MEDIA_FIELDS}
`;

/**
 * Adds one image to the end of the product's gallery. Returns the product's
 * last media after the change; the caller picks its own out by file name.
 */
export async function attachImageToProduct(
  admin: AdminGraphql,
  productGid: string,
  image: { originalSource: string; alt: string },
): Promise<GalleryMedia[]> {
  const data = await admin.request<ProductAttachMediaMutation, ProductAttachMediaMutationVariables>(PRODUCT_ATTACH_MEDIA, {
    product: { id: productGid },
    media: [{ originalSource: image.originalSource, alt: image.alt, mediaContentType: "IMAGE" as MediaContentType }],
  });
  const payload = data.productUpdate;
  const refusal = payload?.userErrors[0];
  if (refusal) throw new ShopifyMediaError(`Shopify refused the image: ${refusal.message}`, null, false);
  if (!payload?.product) throw new ShopifyMediaError("The product no longer exists in Shopify", "PRODUCT_DOES_NOT_EXIST", false);
  return payload.product.media.nodes.map(toGalleryMedia);
}

export interface WaitOptions {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls until Shopify has processed the media. READY resolves; FAILED throws
 * with Shopify's media error; running out of time throws a retryable error
 * (processing continues at Shopify, and the next attempt polls again).
 */
export async function waitForMediaReady(admin: AdminGraphql, mediaId: string, options: WaitOptions): Promise<GalleryMedia> {
  const deadline = options.now() + (options.timeoutMs ?? 120_000);
  let interval = options.intervalMs ?? 500;
  for (;;) {
    const media = await getMedia(admin, mediaId);
    if (!media) throw new ShopifyMediaError("The image was removed from the product while Shopify processed it", "MEDIA_DOES_NOT_EXIST", false);
    if (media.status === "READY") return media;
    if (media.status === "FAILED") {
      const error = media.errors[0];
      throw new ShopifyMediaError(
        error ? `Shopify could not process the image: ${error.message}${error.details ? ` (${error.details})` : ""}` : "Shopify could not process the image",
        error?.code ?? "UNKNOWN",
        false,
      );
    }
    if (options.now() >= deadline) {
      throw new ShopifyMediaError(`Shopify is still processing the image (${media.status.toLowerCase()})`, "MEDIA_TIMEOUT", true);
    }
    await options.sleep(interval);
    interval = Math.min(interval * 2, 5000);
  }
}

// ---------------------------------------------------------------- reorder

export const PRODUCT_REORDER_GALLERY = `#graphql
  mutation ProductReorderGallery($id: ID!, $moves: [MoveInput!]!) {
    productReorderMedia(id: $id, moves: $moves) {
      job {
        id
        done
      }
      mediaUserErrors {
        code
        field
        message
      }
    }
  }
`;

export const JOB_STATUS_QUERY = `#graphql
  query JobStatus($id: ID!) {
    job(id: $id) {
      id
      done
    }
  }
`;

/**
 * Moves media to new zero-based positions (applied in order) and waits for
 * Shopify's asynchronous reorder job to finish.
 */
export async function reorderProductMedia(
  admin: AdminGraphql,
  productGid: string,
  moves: { id: string; newPosition: number }[],
  options: WaitOptions,
): Promise<void> {
  if (moves.length === 0) return;
  const data = await admin.request<ProductReorderGalleryMutation, ProductReorderGalleryMutationVariables>(PRODUCT_REORDER_GALLERY, {
    id: productGid,
    // UnsignedInt64 travels as a string.
    moves: moves.map((m) => ({ id: m.id, newPosition: String(m.newPosition) })),
  });
  const payload = data.productReorderMedia;
  const refusal = payload?.mediaUserErrors[0];
  if (refusal) throw new ShopifyMediaError(`Shopify refused to reorder the gallery: ${refusal.message}`, refusal.code ?? null, false);
  const job = payload?.job;
  if (!job || job.done) return;
  const deadline = options.now() + (options.timeoutMs ?? 60_000);
  let interval = options.intervalMs ?? 250;
  for (;;) {
    await options.sleep(interval);
    const status = await admin.request<JobStatusQuery, JobStatusQueryVariables>(JOB_STATUS_QUERY, { id: job.id });
    if (!status.job || status.job.done) return;
    if (options.now() >= deadline) throw new ShopifyMediaError("Shopify is still reordering the gallery", "JOB_TIMEOUT", true);
    interval = Math.min(interval * 2, 2000);
  }
}

// ---------------------------------------------------------------- detach

export const FILE_UPDATE_REFERENCES = `#graphql
  mutation FileUpdateReferences($files: [FileUpdateInput!]!) {
    fileUpdate(files: $files) {
      files {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

/** Adds a File to a product's gallery (at the end) or removes it; Shopify's first refusal, if any. */
export async function updateFileReferences(admin: AdminGraphql, fileId: string, change: { add: string } | { remove: string }) {
  const data = await admin.request<FileUpdateReferencesMutation, FileUpdateReferencesMutationVariables>(FILE_UPDATE_REFERENCES, {
    files: [{ id: fileId, ...("add" in change ? { referencesToAdd: [change.add] } : { referencesToRemove: [change.remove] }) }],
  });
  return data.fileUpdate?.userErrors[0] ?? null;
}

/**
 * Removes the media from the product's gallery (the file stays in the shop's
 * Files, as Shopify's own "remove from product" does). Detaching media that is
 * already gone is not an error: undo may run twice.
 */
export async function detachMediaFromProduct(admin: AdminGraphql, mediaId: string, productGid: string): Promise<void> {
  const refusal = await updateFileReferences(admin, mediaId, { remove: productGid });
  if (!refusal || refusal.code === "FILE_DOES_NOT_EXIST") return;
  throw new ShopifyMediaError(`Shopify refused to remove the image: ${refusal.message}`, refusal.code ?? null, refusal.code === "FILE_LOCKED");
}
