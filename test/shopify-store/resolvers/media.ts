/**
 * Staged uploads, product media writes, reorder jobs and file references, with
 * the `userErrors`/`mediaUserErrors` codes Shopify uses for what it refuses.
 */
import { GraphQLError } from "graphql";
import { parseGid } from "../gid";
import {
  MAX_MEDIA_PER_PRODUCT,
  createStagedTarget,
  detachedFiles,
  newMediaFromSource,
  processMedia,
  startReorderJob,
  mediaState,
} from "../media";
import type { ShopState, StoredMediaImage, StoredProduct } from "../state";
import type { ResolverMap } from "./types";

/** Shopify's limit on alt text. */
const MAX_ALT_LENGTH = 512;

const UPLOAD_RESOURCES = new Set(["IMAGE", "FILE", "PRODUCT_IMAGE", "COLLECTION_IMAGE", "SHOP_IMAGE"]);

function mediaView(media: StoredMediaImage) {
  return { __typename: "MediaImage" as const, ...media };
}

function productOf(shop: ShopState, gid: string): StoredProduct | undefined {
  const { type, id } = parseGid(gid);
  return type === "Product" ? shop.products.get(id) : undefined;
}

/** The media wherever it is: on products (with every product it is on) or only in Files. */
function findFile(shop: ShopState, id: number): { media: StoredMediaImage; products: StoredProduct[] } | undefined {
  let media: StoredMediaImage | undefined;
  const products: StoredProduct[] = [];
  for (const product of shop.products.values()) {
    const found = product.media.find((m) => m.id === id);
    if (found) {
      media = found;
      products.push(product);
    }
  }
  media ??= detachedFiles(shop).get(id);
  return media ? { media, products } : undefined;
}

/** Finds media that live only in Files (detached from every product), for `node(id)`. */
export function findDetachedMediaNode(shop: ShopState, type: string, id: number): object | null {
  if (type !== "MediaImage") return null;
  const media = detachedFiles(shop).get(id);
  return media ? mediaView(media) : null;
}

interface StagedUploadInput {
  filename: string;
  mimeType: string;
  resource: string;
  fileSize?: string | null;
  httpMethod?: string | null;
}

interface CreateMediaInput {
  alt?: string | null;
  mediaContentType: string;
  originalSource: string;
}

interface FileUpdateInput {
  id: string;
  alt?: string | null;
  referencesToAdd?: string[] | null;
  referencesToRemove?: string[] | null;
  filename?: string | null;
  originalSource?: string | null;
  previewImageSource?: string | null;
}

export const mediaResolvers: ResolverMap = {
  "Mutation.stagedUploadsCreate": (_source, args: { input: StagedUploadInput[] }, ctx) => {
    const userErrors: { field: string[]; message: string }[] = [];
    args.input.forEach((input, index) => {
      if (!UPLOAD_RESOURCES.has(input.resource)) {
        userErrors.push({ field: ["input", String(index), "resource"], message: `The local store does not stage ${input.resource} uploads` });
      } else if (input.httpMethod === "PUT") {
        // Shopify's PUT targets are signed URLs with headers instead of form fields; the app uses POST.
        userErrors.push({ field: ["input", String(index), "httpMethod"], message: "The local store only stages POST (form) uploads" });
      } else if (!input.filename.trim()) {
        userErrors.push({ field: ["input", String(index), "filename"], message: "Filename can't be blank" });
      }
    });
    if (userErrors.length > 0) return { stagedTargets: null, userErrors };
    const now = Date.now();
    return { stagedTargets: args.input.map((input) => createStagedTarget(ctx.data, ctx.origin, ctx.shop, input, now)), userErrors };
  },

  "Mutation.productUpdate": (_source, args: { product?: Record<string, unknown> | null; media?: CreateMediaInput[] | null; input?: unknown; identifier?: unknown }, ctx) => {
    if (args.input !== undefined || args.identifier !== undefined) throw new GraphQLError("productUpdate(input:/identifier:) is not implemented by the local store; use product: { id }");
    // graphql-js fills in input defaults (deleteConflictingConstrainedMetafields: false); those change nothing.
    const fields = Object.entries(args.product ?? {})
      .filter(([key, value]) => key !== "id" && !(key === "deleteConflictingConstrainedMetafields" && value === false))
      .map(([key]) => key);
    if (fields.length > 0) throw new GraphQLError(`productUpdate of ${fields.join(", ")} is not implemented by the local store (only media)`);
    const id = args.product?.id;
    if (typeof id !== "string") return { product: null, userErrors: [{ field: ["product", "id"], message: "Product id is required" }] };
    const product = productOf(ctx.shop, id);
    if (!product) return { product: null, userErrors: [{ field: ["product", "id"], message: "Product does not exist" }] };
    const media = args.media ?? [];
    const userErrors: { field: string[]; message: string }[] = [];
    media.forEach((input, index) => {
      if (input.mediaContentType !== "IMAGE") userErrors.push({ field: ["media", String(index), "mediaContentType"], message: `The local store only creates IMAGE media, not ${input.mediaContentType}` });
      if ((input.alt ?? "").length > MAX_ALT_LENGTH) userErrors.push({ field: ["media", String(index), "alt"], message: `Alt is too long (maximum is ${MAX_ALT_LENGTH} characters)` });
      if (!/^https?:\/\//.test(input.originalSource)) userErrors.push({ field: ["media", String(index), "originalSource"], message: "Original source is invalid" });
    });
    if (product.media.length + media.length > MAX_MEDIA_PER_PRODUCT) {
      userErrors.push({ field: ["media"], message: `Exceeded the maximum number of media, ${MAX_MEDIA_PER_PRODUCT}, for this product.` });
    }
    if (userErrors.length > 0) return { product, userErrors };
    const nowIso = new Date().toISOString();
    for (const input of media) {
      const created = newMediaFromSource(ctx.data, ctx.shop, input.originalSource, input.alt ?? "", nowIso);
      product.media.push(created);
      processMedia(ctx.data, created);
    }
    if (media.length > 0) product.updatedAt = nowIso;
    return { product, userErrors };
  },

  "Mutation.productReorderMedia": (_source, args: { id: string; moves: { id: string; newPosition: string }[] }, ctx) => {
    const product = productOf(ctx.shop, args.id);
    if (!product) {
      return { job: null, mediaUserErrors: [{ code: "PRODUCT_DOES_NOT_EXIST", field: ["id"], message: "Product does not exist" }], userErrors: [{ field: ["id"], message: "Product does not exist" }] };
    }
    const errors: { code: string; field: string[]; message: string }[] = [];
    const moves = args.moves.map((move, index) => {
      const { type, id } = parseGid(move.id);
      const media = type === "MediaImage" ? product.media.find((m) => m.id === id) : undefined;
      if (!media) errors.push({ code: "MEDIA_DOES_NOT_EXIST_ON_PRODUCT", field: ["moves", String(index), "id"], message: `Media id ${move.id} does not exist on this product` });
      return { mediaId: id, newPosition: Number(move.newPosition) };
    });
    if (errors.length > 0) return { job: null, mediaUserErrors: errors, userErrors: errors.map(({ field, message }) => ({ field, message })) };
    return { job: startReorderJob(ctx.data, product, moves), mediaUserErrors: [], userErrors: [] };
  },

  "QueryRoot.job": (_source, args: { id: string }, ctx) => mediaState(ctx.data).jobs.get(args.id) ?? null,
  // Job.query lets a client read anything after the job; the root resolvers need no source.
  "Job.query": () => ({}),

  "Mutation.fileUpdate": (_source, args: { files: FileUpdateInput[] }, ctx) => {
    const userErrors: { code: string; field: string[]; message: string }[] = [];
    const updated: StoredMediaImage[] = [];
    args.files.forEach((input, index) => {
      const field = (name: string) => ["files", String(index), name];
      const unsupported = (["filename", "originalSource", "previewImageSource"] as const).filter((k) => input[k] != null);
      if (unsupported.length > 0) throw new GraphQLError(`fileUpdate of ${unsupported.join(", ")} is not implemented by the local store`);
      const { type, id } = parseGid(input.id);
      const found = type === "MediaImage" ? findFile(ctx.shop, id) : undefined;
      if (!found) {
        userErrors.push({ code: "FILE_DOES_NOT_EXIST", field: field("id"), message: `File id ${input.id} does not exist.` });
        return;
      }
      const targets = [...(input.referencesToAdd ?? []), ...(input.referencesToRemove ?? [])];
      const missing = targets.find((gid) => !productOf(ctx.shop, gid));
      if (missing) {
        userErrors.push({ code: "REFERENCE_TARGET_DOES_NOT_EXIST", field: field(input.referencesToAdd?.includes(missing) ? "referencesToAdd" : "referencesToRemove"), message: `The reference target ${missing} does not exist.` });
        return;
      }
      if ((input.alt ?? "").length > MAX_ALT_LENGTH) {
        userErrors.push({ code: "ALT_VALUE_LIMIT_EXCEEDED", field: field("alt"), message: `The alt value exceeds the maximum limit of ${MAX_ALT_LENGTH} characters.` });
        return;
      }
      const { media } = found;
      if (input.alt != null) media.alt = input.alt;
      const files = detachedFiles(ctx.shop);
      for (const gid of input.referencesToRemove ?? []) {
        const product = productOf(ctx.shop, gid)!;
        const at = product.media.indexOf(media);
        if (at >= 0) product.media.splice(at, 1);
      }
      for (const gid of input.referencesToAdd ?? []) {
        const product = productOf(ctx.shop, gid)!;
        if (product.media.length >= MAX_MEDIA_PER_PRODUCT) {
          userErrors.push({ code: "PRODUCT_MEDIA_LIMIT_EXCEEDED", field: field("referencesToAdd"), message: `Exceeded the maximum number of media, ${MAX_MEDIA_PER_PRODUCT}, for this product.` });
          continue;
        }
        if (!product.media.includes(media)) product.media.push(media);
      }
      const stillOnAProduct = [...ctx.shop.products.values()].some((p) => p.media.includes(media));
      if (stillOnAProduct) files.delete(media.id);
      else files.set(media.id, media);
      updated.push(media);
    });
    return { files: updated.map(mediaView), userErrors };
  },

  "MediaImage.mediaErrors": (m: StoredMediaImage) => m.errors ?? [],
  "MediaImage.originalSource": (m: StoredMediaImage) => ({
    url: null,
    fileSize: m.image.source.kind === "bytes" ? m.image.source.bytes.length : null,
  }),
};
