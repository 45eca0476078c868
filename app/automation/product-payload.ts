/**
 * The products/create and products/update webhook body (API 2026-07) as the
 * generator's ProductFacts, and the fingerprint of the text automation
 * generates from. Parsed leniently: fields Shopify adds later are ignored,
 * and missing optional ones take neutral values.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { ProductFacts } from "~/catalog/types";

const image = z.object({
  src: z.string().url().optional(),
  width: z.number().nullable().optional(),
  height: z.number().nullable().optional(),
  alt: z.string().nullable().optional(),
});

const media = z.object({
  admin_graphql_api_id: z.string().optional(),
  id: z.union([z.number(), z.string()]).optional(),
  alt: z.string().nullable().optional(),
  status: z.string().optional(),
  media_content_type: z.string().optional(),
  preview_image: image.nullable().optional(),
});

export const productPayloadSchema = z.object({
  admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/),
  title: z.string(),
  body_html: z.string().nullable().optional(),
  handle: z.string().optional(),
  product_type: z.string().nullable().optional(),
  vendor: z.string().nullable().optional(),
  status: z.string().optional(),
  tags: z.string().nullable().optional(),
  updated_at: z.string().optional(),
  options: z.array(z.object({ name: z.string(), values: z.array(z.string()).optional() })).nullable().optional(),
  media: z.array(media).nullable().optional(),
  images: z.array(image.extend({ admin_graphql_api_id: z.string().optional() })).nullable().optional(),
});
export type ProductPayload = z.output<typeof productPayloadSchema>;

/** Photos the product has, from `media` (2026-07) or, for older shapes, `images`. */
function photos(payload: ProductPayload): ProductFacts["media"] {
  const fromMedia = (payload.media ?? [])
    .filter((m) => (m.media_content_type ?? "IMAGE") === "IMAGE" && m.preview_image?.src)
    .map((m) => ({
      id: m.admin_graphql_api_id ?? `gid://shopify/MediaImage/${String(m.id ?? "")}`,
      alt: m.alt ?? "",
      status: (m.status ?? "READY").toUpperCase(),
      url: m.preview_image!.src!,
      width: m.preview_image!.width ?? null,
      height: m.preview_image!.height ?? null,
    }));
  if (fromMedia.length > 0 || payload.media) return fromMedia;
  return (payload.images ?? [])
    .filter((i) => i.src)
    .map((i) => ({ id: i.admin_graphql_api_id ?? "", alt: i.alt ?? "", status: "READY", url: i.src!, width: i.width ?? null, height: i.height ?? null }));
}

export function factsFromPayload(payload: ProductPayload, now: Date): ProductFacts {
  const media = photos(payload);
  const ready = media.filter((m) => m.status === "READY");
  return {
    id: payload.admin_graphql_api_id,
    title: payload.title,
    handle: payload.handle ?? "",
    descriptionHtml: payload.body_html ?? "",
    productType: payload.product_type ?? "",
    vendor: payload.vendor ?? "",
    status: (payload.status ?? "active").toUpperCase(),
    tags: (payload.tags ?? "").split(",").map((t) => t.trim()).filter(Boolean),
    options: (payload.options ?? []).map((o) => ({ name: o.name, values: o.values ?? [] })),
    updatedAt: payload.updated_at ?? now.toISOString(),
    mediaCount: media.length,
    featuredImageUrl: ready[0]?.url ?? null,
    thumbnailUrl: null,
    media,
  };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * The text as a shopper reads it: markup, entities, case, punctuation and
 * spacing do not count, so re-saving a description or fixing a comma is not a
 * reason to pay for new images.
 */
export function normalizedText(title: string, descriptionHtml: string): string {
  const text = `${title}\n${descriptionHtml}`
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export function contentHash(title: string, descriptionHtml: string): string {
  return createHash("sha256").update(normalizedText(title, descriptionHtml)).digest("hex");
}
