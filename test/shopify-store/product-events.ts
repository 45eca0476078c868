/**
 * Shopify's products/create and products/update webhooks: fired after any
 * change to a product, whoever made it — the merchant (the harness's
 * createProduct/updateProduct) or an app's Admin GraphQL mutation (media,
 * metafields, text). The store compares products before and after each
 * mutation, so every resolver fires them without knowing about webhooks.
 * Payloads have the REST shape Shopify sends for API 2026-07, media included.
 */
import { createHash } from "node:crypto";
import type { ShopState, StoredImage, StoredProduct } from "./state";

export type ProductTopic = "products/create" | "products/update";

function cdnUrl(origin: string, shop: ShopState, image: StoredImage): string {
  const url = new URL(`/s/files/${shop.cdnPath}/files/${image.fileName}`, origin);
  url.searchParams.set("v", String(image.version));
  return url.toString();
}

export function productWebhookPayload(origin: string, shop: ShopState, product: StoredProduct): Record<string, unknown> {
  const images = product.media
    .filter((m) => m.status === "READY")
    .map((m, index) => ({
      id: m.image.id,
      admin_graphql_api_id: `gid://shopify/ProductImage/${m.image.id}`,
      product_id: product.id,
      position: index + 1,
      alt: m.alt || null,
      width: m.image.width,
      height: m.image.height,
      src: cdnUrl(origin, shop, m.image),
      created_at: m.createdAt,
      updated_at: m.createdAt,
      variant_ids: [],
    }));
  return {
    id: product.id,
    admin_graphql_api_id: `gid://shopify/Product/${product.id}`,
    title: product.title,
    body_html: product.descriptionHtml,
    vendor: product.vendor,
    product_type: product.productType,
    handle: product.handle,
    status: product.status.toLowerCase(),
    tags: product.tags.join(", "),
    created_at: product.createdAt,
    updated_at: product.updatedAt,
    published_at: null,
    template_suffix: null,
    published_scope: "global",
    variants: product.variants.map((v, index) => ({
      id: v.id,
      admin_graphql_api_id: `gid://shopify/ProductVariant/${v.id}`,
      product_id: product.id,
      title: v.title,
      price: v.price,
      sku: v.sku,
      position: index + 1,
      option1: v.selectedOptions[0]?.value ?? null,
      option2: v.selectedOptions[1]?.value ?? null,
      option3: v.selectedOptions[2]?.value ?? null,
      created_at: v.createdAt,
      updated_at: product.updatedAt,
    })),
    options: product.options.map((o, index) => ({ id: o.id, product_id: product.id, name: o.name, position: index + 1, values: o.optionValues.map((v) => v.name) })),
    images,
    image: images[0] ?? null,
    media: product.media.map((m, index) => ({
      id: m.id,
      admin_graphql_api_id: `gid://shopify/MediaImage/${m.id}`,
      product_id: product.id,
      position: index + 1,
      alt: m.alt || null,
      status: m.status,
      media_content_type: "IMAGE",
      preview_image:
        m.status === "READY"
          ? { width: m.image.width, height: m.image.height, src: cdnUrl(origin, shop, m.image), status: "READY" }
          : null,
      created_at: m.createdAt,
      updated_at: m.createdAt,
    })),
    variant_gids: product.variants.map((v) => ({ admin_graphql_api_id: `gid://shopify/ProductVariant/${v.id}`, updated_at: product.updatedAt })),
    has_variants_that_requires_components: false,
    category: null,
  };
}

/** What a products/update subscriber can see of a product; any difference fires the webhook. */
function signature(product: StoredProduct): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        product.title,
        product.descriptionHtml,
        product.productType,
        product.vendor,
        product.tags,
        product.status,
        product.handle,
        product.options,
        product.variants,
        product.media.map((m) => [m.id, m.alt, m.status, m.image.id, m.image.version]),
      ]),
    )
    .digest("hex");
}

export type ProductSnapshot = Map<number, string>;

export function snapshotProducts(shop: ShopState): ProductSnapshot {
  return new Map([...shop.products.values()].map((p) => [p.id, signature(p)]));
}

export function changedProducts(before: ProductSnapshot, shop: ShopState): { topic: ProductTopic; product: StoredProduct }[] {
  const changes: { topic: ProductTopic; product: StoredProduct }[] = [];
  for (const product of shop.products.values()) {
    const was = before.get(product.id);
    if (was === undefined) changes.push({ topic: "products/create", product });
    else if (was !== signature(product)) changes.push({ topic: "products/update", product });
  }
  return changes;
}
