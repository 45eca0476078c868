/**
 * One product's review screen: its current featured image beside every
 * candidate made for it, with what the merchant needs to judge each one.
 */
import type { Db } from "~/db/client.server";
import type { ImageGrant } from "./image-urls.server";

export interface ReviewCandidate {
  id: string;
  status: string;
  abCandidate: boolean;
  presetId: string;
  presetName: string;
  providerId: string;
  model: string;
  costMicros: number;
  fidelityScore: number | null;
  fidelityFlagged: boolean;
  width: number;
  height: number;
  format: string;
  altText: string | null;
  createdAt: string;
  published: boolean;
  urls: { thumb: string; large: string; full: string };
  /** Null when regenerating is possible; otherwise why not. */
  regenerateUnavailable: string | null;
}

export interface ProductReview {
  productGid: string;
  title: string;
  handle: string | null;
  featuredImageUrl: string | null;
  candidates: ReviewCandidate[];
}

export interface ProductReviewDeps {
  db: Db;
  presetName(id: string): string | undefined;
  /** A short-lived URL an <img> can load (see image-urls.server.ts). */
  imageUrl(grant: ImageGrant): string;
}

/** Newest first; null when this shop has neither the product nor any image for it. */
export async function productReview(deps: ProductReviewDeps, shopId: string, productGid: string): Promise<ProductReview | null> {
  const [product, candidates] = await Promise.all([
    deps.db.productCache.findUnique({
      where: { shopId_productGid: { shopId, productGid } },
      select: { title: true, handle: true, featuredImageUrl: true },
    }),
    deps.db.candidate.findMany({
      where: { shopId, productGid },
      orderBy: [{ createdAt: "desc" }, { ordinal: "asc" }, { id: "asc" }],
      include: { item: { select: { id: true } } },
    }),
  ]);
  if (!product && candidates.length === 0) return null;
  return {
    productGid,
    title: product?.title ?? productGid,
    handle: product?.handle ?? null,
    featuredImageUrl: product?.featuredImageUrl ?? null,
    candidates: candidates.map((c) => {
      const url = (variant: ImageGrant["variant"]) => deps.imageUrl({ shopId, candidateId: c.id, variant });
      return {
        id: c.id,
        status: c.status,
        abCandidate: c.abCandidate,
        presetId: c.presetId,
        presetName: deps.presetName(c.presetId) ?? c.presetId,
        providerId: c.providerId,
        model: c.model,
        costMicros: Number(c.costMicros),
        fidelityScore: c.fidelityScore,
        fidelityFlagged: c.fidelityFlagged,
        width: c.width,
        height: c.height,
        format: c.format,
        altText: c.altText,
        createdAt: c.createdAt.toISOString(),
        published: c.shopifyMediaId !== null,
        urls: { thumb: url("thumb"), large: url("large"), full: url("full") },
        regenerateUnavailable: c.item ? null : "The batch that made this image was deleted, so its settings are gone.",
      };
    }),
  };
}
