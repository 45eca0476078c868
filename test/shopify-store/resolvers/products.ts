import { GraphQLError, responsePathAsArray } from "graphql";
import { paginate, compareValues, type PageArgs } from "../connection";
import { parseGid, toGid } from "../gid";
import { evaluateSearch, matchDate, matchNumber, matchText, matchWords, parseSearchQuery, searchFields, type Term } from "../search-query";
import type { ShopState, StoredImage, StoredMediaImage, StoredOption, StoredProduct, StoredVariant } from "../state";
import type { ResolverContext, ResolverMap } from "./types";

type ProductSortKey = "TITLE" | "PRODUCT_TYPE" | "VENDOR" | "CREATED_AT" | "UPDATED_AT" | "ID" | "RELEVANCE" | "INVENTORY_TOTAL" | "PUBLISHED_AT";

const sortValues: Partial<Record<ProductSortKey, (p: StoredProduct) => string | number>> = {
  TITLE: (p) => p.title,
  PRODUCT_TYPE: (p) => p.productType,
  VENDOR: (p) => p.vendor,
  CREATED_AT: (p) => Date.parse(p.createdAt),
  UPDATED_AT: (p) => Date.parse(p.updatedAt),
  ID: (p) => p.id,
  // Without a text index there is no relevance score; Shopify falls back to id order too.
  RELEVANCE: (p) => p.id,
};

const KNOWN_SEARCH_FIELDS = new Set(["title", "product_type", "vendor", "tag", "status", "created_at", "updated_at", "handle", "id", "sku"]);

function matchProductTerm(product: StoredProduct, term: Term): boolean {
  switch (term.field) {
    case undefined:
    case "title":
      return matchWords(product.title, term);
    case "product_type":
      return matchText(product.productType, term);
    case "vendor":
      return matchText(product.vendor, term);
    case "tag":
      return product.tags.some((tag) => matchText(tag, term));
    case "status":
      return term.value.split(",").some((status) => status.trim().toUpperCase() === product.status);
    case "created_at":
      return matchDate(product.createdAt, term);
    case "updated_at":
      return matchDate(product.updatedAt, term);
    case "handle":
      return matchText(product.handle, term);
    case "id":
      return matchNumber(product.id, term);
    case "sku":
      return product.variants.some((variant) => matchText(variant.sku, term));
    default:
      return true;
  }
}

export function searchProducts(shop: ShopState, query: string | null | undefined, context?: { ctx: ResolverContext; path: readonly (string | number)[] }): StoredProduct[] {
  const all = [...shop.products.values()];
  if (!query) return all;
  const tree = parseSearchQuery(query);
  if (context) {
    const unknown = [...new Set(searchFields(tree))].filter((field) => !KNOWN_SEARCH_FIELDS.has(field));
    if (unknown.length > 0) {
      context.ctx.searchWarnings.push({
        path: context.path,
        query,
        warnings: unknown.map((field) => ({ field, message: "Invalid search field for this query." })),
      });
    }
  }
  return all.filter((product) => evaluateSearch(tree, (term) => matchProductTerm(product, term)));
}

interface ProductsArgs extends PageArgs {
  query?: string | null;
  sortKey: ProductSortKey;
  reverse: boolean;
}

function imageView(image: StoredImage, altText: string) {
  return { __typename: "Image" as const, stored: image, altText };
}
type ImageView = ReturnType<typeof imageView>;

function mediaView(media: StoredMediaImage) {
  return { __typename: "MediaImage" as const, ...media };
}

export function imageUrl(ctx: ResolverContext, image: StoredImage, transform?: { maxWidth?: number | null; maxHeight?: number | null } | null): string {
  const url = new URL(`/s/files/${ctx.shop.cdnPath}/files/${image.fileName}`, ctx.origin);
  url.searchParams.set("v", String(image.version));
  if (transform?.maxWidth) url.searchParams.set("width", String(transform.maxWidth));
  if (transform?.maxHeight) url.searchParams.set("height", String(transform.maxHeight));
  return url.toString();
}

function plainText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/li|\/h[1-6])\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
}

function findVariant(shop: ShopState, id: number): { product: StoredProduct; variant: StoredVariant } | undefined {
  for (const product of shop.products.values()) {
    const variant = product.variants.find((v) => v.id === id);
    if (variant) return { product, variant };
  }
  return undefined;
}

function findMedia(shop: ShopState, id: number): StoredMediaImage | undefined {
  for (const product of shop.products.values()) {
    const media = product.media.find((m) => m.id === id);
    if (media) return media;
  }
  return undefined;
}

/** Resolves `gid://shopify/<type>/<id>` for the types this domain owns, tagged for `Node` resolution. */
export function findProductDomainNode(shop: ShopState, type: string, id: number): object | null {
  switch (type) {
    case "Product": {
      const product = shop.products.get(id);
      return product ? { __typename: "Product", ...product } : null;
    }
    case "ProductVariant": {
      const found = findVariant(shop, id);
      return found ? { __typename: "ProductVariant", ...found.variant } : null;
    }
    case "MediaImage": {
      const media = findMedia(shop, id);
      return media ? mediaView(media) : null;
    }
    default:
      return null;
  }
}

function distinctValues(shop: ShopState, pick: (p: StoredProduct) => string[], args: PageArgs) {
  const values = [...new Set([...shop.products.values()].flatMap(pick).filter(Boolean))].sort((a, b) => a.localeCompare(b));
  const indexed = values.map((value, index) => ({ id: index + 1, value }));
  const page = paginate(indexed, args, { id: (v) => v.id, sortValue: (v) => v.value, reverse: false });
  return { ...page, nodes: page.nodes.map((v) => v.value), edges: page.edges.map((e) => ({ cursor: e.cursor, node: e.node.value })) };
}

const byPosition = <T extends { id: number }>(reverse: boolean) => ({ id: (item: T) => item.id, sortValue: (item: T) => item.id, reverse });

export const productResolvers: ResolverMap = {
  "QueryRoot.products": (_source, args: ProductsArgs, ctx, info) => {
    const sortValue = sortValues[args.sortKey];
    if (!sortValue) throw new GraphQLError(`sortKey ${args.sortKey} is not implemented by the local store`);
    const matches = searchProducts(ctx.shop, args.query, { ctx, path: responsePathAsArray(info.path) });
    matches.sort((a, b) => compareValues(sortValue(a), sortValue(b)) || a.id - b.id);
    if (args.reverse) matches.reverse();
    return paginate(matches, args, { id: (p) => p.id, sortValue, reverse: args.reverse });
  },
  "QueryRoot.productsCount": (_source, args: { query?: string | null; limit?: number | null }, ctx, info) => {
    const count = searchProducts(ctx.shop, args.query, { ctx, path: responsePathAsArray(info.path) }).length;
    if (args.limit != null && count > args.limit) return { count: args.limit, precision: "AT_LEAST" };
    return { count, precision: "EXACT" };
  },
  "QueryRoot.product": (_source, args: { id: string }, ctx) => {
    const { type, id } = parseGid(args.id);
    return type === "Product" ? (ctx.shop.products.get(id) ?? null) : null;
  },
  // StringConnections of the values in use, sorted; the cursor is the value itself.
  "QueryRoot.productTypes": (_source, args: PageArgs, ctx) => distinctValues(ctx.shop, (p) => [p.productType], args),
  "QueryRoot.productVendors": (_source, args: PageArgs, ctx) => distinctValues(ctx.shop, (p) => [p.vendor], args),
  "QueryRoot.productTags": (_source, args: PageArgs, ctx) => distinctValues(ctx.shop, (p) => p.tags, args),
  "QueryRoot.productByHandle": (_source, args: { handle: string }, ctx) =>
    [...ctx.shop.products.values()].find((p) => p.handle === args.handle) ?? null,

  "Product.id": (p: StoredProduct) => toGid("Product", p.id),
  "Product.legacyResourceId": (p: StoredProduct) => String(p.id),
  "Product.description": (p: StoredProduct, args: { truncateAt?: number | null }) => {
    const text = plainText(p.descriptionHtml);
    return args.truncateAt != null && text.length > args.truncateAt ? `${text.slice(0, args.truncateAt)}...` : text;
  },
  "Product.options": (p: StoredProduct, args: { first?: number | null }) => (args.first != null ? p.options.slice(0, args.first) : p.options),
  "Product.variants": (p: StoredProduct, args: PageArgs & { reverse: boolean }) => {
    const variants = args.reverse ? [...p.variants].reverse() : p.variants;
    return paginate(variants, args, byPosition(args.reverse));
  },
  "Product.variantsCount": (p: StoredProduct) => ({ count: p.variants.length, precision: "EXACT" }),
  "Product.hasOnlyDefaultVariant": (p: StoredProduct) => p.variants.length === 1 && p.variants[0]?.title === "Default Title",
  "Product.media": (p: StoredProduct, args: PageArgs & { reverse: boolean }) => {
    const media = (args.reverse ? [...p.media].reverse() : p.media).map(mediaView);
    return paginate(media, args, byPosition(args.reverse));
  },
  "Product.featuredMedia": (p: StoredProduct) => (p.media[0] ? mediaView(p.media[0]) : null),
  "Product.featuredImage": (p: StoredProduct) => (p.media[0] ? imageView(p.media[0].image, p.media[0].alt) : null),
  "Product.mediaCount": (p: StoredProduct) => ({ count: p.media.length, precision: "EXACT" }),
  "Product.onlineStoreUrl": () => null,
  "Product.onlineStorePreviewUrl": () => null,
  "Product.totalInventory": () => 0,
  "Product.tracksInventory": () => false,
  "Product.isGiftCard": () => false,
  "Product.templateSuffix": () => null,
  "Product.seo": () => ({ title: null, description: null }),

  "ProductOption.id": (o: StoredOption) => toGid("ProductOption", o.id),
  "ProductOption.values": (o: StoredOption) => o.optionValues.map((v) => v.name),
  "ProductOption.position": (o: StoredOption, _args, ctx) => {
    for (const product of ctx.shop.products.values()) {
      const index = product.options.indexOf(o);
      if (index >= 0) return index + 1;
    }
    return 1;
  },
  "ProductOptionValue.id": (v: { id: number }) => toGid("ProductOptionValue", v.id),
  "ProductOptionValue.hasVariants": () => true,
  "ProductOptionValue.swatch": () => null,
  "ProductOptionValue.linkedMetafieldValue": () => null,

  "ProductVariant.id": (v: StoredVariant) => toGid("ProductVariant", v.id),
  "ProductVariant.legacyResourceId": (v: StoredVariant) => String(v.id),
  "ProductVariant.product": (v: StoredVariant, _args, ctx) => findVariant(ctx.shop, v.id)?.product,
  "ProductVariant.displayName": (v: StoredVariant, _args, ctx) => `${findVariant(ctx.shop, v.id)?.product.title ?? ""} - ${v.title}`,
  "ProductVariant.position": (v: StoredVariant, _args, ctx) => (findVariant(ctx.shop, v.id)?.product.variants.indexOf(v) ?? 0) + 1,
  "ProductVariant.updatedAt": (v: StoredVariant) => v.createdAt,
  "ProductVariant.compareAtPrice": () => null,
  "ProductVariant.barcode": () => null,
  "ProductVariant.inventoryQuantity": () => 0,
  "ProductVariant.availableForSale": () => true,
  "ProductVariant.selectedOptions": (v: StoredVariant, _args, ctx) => {
    const product = findVariant(ctx.shop, v.id)?.product;
    return v.selectedOptions.map((selected) => ({
      ...selected,
      optionValue: product?.options.find((o) => o.name === selected.name)?.optionValues.find((ov) => ov.name === selected.value),
    }));
  },

  "MediaImage.id": (m: StoredMediaImage) => toGid("MediaImage", m.id),
  "MediaImage.mediaContentType": () => "IMAGE",
  "MediaImage.mimeType": () => "image/png",
  "MediaImage.updatedAt": (m: StoredMediaImage) => m.createdAt,
  "MediaImage.fileStatus": (m: StoredMediaImage) => m.status,
  "MediaImage.mediaErrors": () => [],
  "MediaImage.mediaWarnings": () => [],
  "MediaImage.fileErrors": () => [],
  "MediaImage.image": (m: StoredMediaImage) => (m.status === "READY" ? imageView(m.image, m.alt) : null),
  "MediaImage.preview": (m: StoredMediaImage) => ({
    status: m.status === "READY" ? "READY" : "PROCESSING",
    image: m.status === "READY" ? imageView(m.image, m.alt) : null,
  }),

  "Image.id": (i: ImageView) => toGid("ImageSource", i.stored.id),
  "Image.width": (i: ImageView) => i.stored.width,
  "Image.height": (i: ImageView) => i.stored.height,
  "Image.url": (i: ImageView, args: { transform?: { maxWidth?: number; maxHeight?: number } | null }, ctx) => imageUrl(ctx, i.stored, args.transform),
  "Image.src": (i: ImageView, _args, ctx) => imageUrl(ctx, i.stored),
  "Image.originalSrc": (i: ImageView, _args, ctx) => imageUrl(ctx, i.stored),
  "Image.transformedSrc": (i: ImageView, args: { maxWidth?: number; maxHeight?: number }, ctx) => imageUrl(ctx, i.stored, args),
  "Image.thumbhash": () => null,
};
