/**
 * Product reads from the Admin API, mapped to the catalog's own types so
 * nothing outside app/shopify/ depends on Shopify's response shapes.
 */
import type { CatalogPage, CatalogQuery, CatalogSource, ProductFacts } from "~/catalog/types";
import type {
  ProductFactsByIdQuery,
  ProductFactsByIdQueryVariables,
  ProductFactsFragment,
  ProductFilterValuesQuery,
  ProductsPageQuery,
  ProductsPageQueryVariables,
} from "~/types/admin.generated";
import type { ProductSortKeys } from "~/types/admin.types";
import type { AdminGraphql } from "./admin-graphql.server";

const PRODUCT_FACTS = `#graphql
  fragment ProductFacts on Product {
    id
    title
    handle
    descriptionHtml
    productType
    vendor
    status
    tags
    updatedAt
    options {
      name
      values
    }
    mediaCount {
      count
    }
    featuredMedia {
      preview {
        image {
          url
          thumbnailUrl: url(transform: { maxWidth: 120, maxHeight: 120 })
        }
      }
    }
    media(first: 10) {
      nodes {
        id
        alt
        mediaContentType
        status
        ... on MediaImage {
          image {
            url
            width
            height
          }
        }
      }
    }
  }
`;

export const PRODUCTS_PAGE_QUERY = `#graphql
  query ProductsPage($first: Int, $after: String, $last: Int, $before: String, $query: String, $sortKey: ProductSortKeys, $reverse: Boolean) {
    products(first: $first, after: $after, last: $last, before: $before, query: $query, sortKey: $sortKey, reverse: $reverse) {
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        ...ProductFacts
      }
    }
  }
  ${PRODUCT_FACTS}
`;

export const PRODUCT_QUERY = `#graphql
  query ProductFactsById($id: ID!) {
    product(id: $id) {
      ...ProductFacts
    }
  }
  ${PRODUCT_FACTS}
`;

export const PRODUCT_FILTER_VALUES_QUERY = `#graphql
  query ProductFilterValues {
    productTypes(first: 250) {
      nodes
    }
    productVendors(first: 250) {
      nodes
    }
    productTags(first: 250) {
      nodes
    }
  }
`;

type MediaNode = ProductFactsFragment["media"]["nodes"][number];
type ImageNode = MediaNode & { image?: { url: string; width?: number | null; height?: number | null } | null };

function toFacts(node: ProductFactsFragment): ProductFacts {
  return {
    id: node.id,
    title: node.title,
    handle: node.handle,
    descriptionHtml: node.descriptionHtml,
    productType: node.productType,
    vendor: node.vendor,
    status: node.status,
    tags: node.tags,
    options: node.options.map((o) => ({ name: o.name, values: o.values })),
    updatedAt: node.updatedAt,
    mediaCount: node.mediaCount?.count ?? node.media.nodes.length,
    featuredImageUrl: node.featuredMedia?.preview?.image?.url ?? null,
    thumbnailUrl: node.featuredMedia?.preview?.image?.thumbnailUrl ?? null,
    media: node.media.nodes.flatMap((m: ImageNode) =>
      m.mediaContentType === "IMAGE" && m.image
        ? [{ id: m.id, alt: m.alt ?? "", status: m.status, url: m.image.url, width: m.image.width ?? null, height: m.image.height ?? null }]
        : [],
    ),
  };
}

/** Shopify search syntax; values quoted so spaces and colons in them are literal. */
export function toSearchQuery(query: CatalogQuery): string | undefined {
  const quote = (v: string) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  const parts: string[] = [];
  // A bare quoted phrase searches Shopify's default fields (title first).
  if (query.text?.trim()) parts.push(quote(query.text.trim()));
  if (query.productType) parts.push(`product_type:${quote(query.productType)}`);
  if (query.vendor) parts.push(`vendor:${quote(query.vendor)}`);
  if (query.tag) parts.push(`tag:${quote(query.tag)}`);
  if (query.status) parts.push(`status:${query.status.toLowerCase()}`);
  return parts.length ? parts.join(" AND ") : undefined;
}

export function shopifyCatalog(admin: AdminGraphql): CatalogSource {
  return {
    async page(query: CatalogQuery): Promise<CatalogPage> {
      const backwards = Boolean(query.before);
      const data = await admin.request<ProductsPageQuery, ProductsPageQueryVariables>(
        PRODUCTS_PAGE_QUERY,
        {
          ...(backwards ? { last: query.pageSize, before: query.before } : { first: query.pageSize, after: query.after ?? null }),
          query: toSearchQuery(query) ?? null,
          // Generated enums are declaration-only; the strings are the wire values.
          sortKey: (query.text ? "RELEVANCE" : "TITLE") as ProductSortKeys,
        },
      );
      const { pageInfo } = data.products;
      return {
        pageInfo: {
          hasNextPage: pageInfo.hasNextPage,
          hasPreviousPage: pageInfo.hasPreviousPage,
          startCursor: pageInfo.startCursor ?? null,
          endCursor: pageInfo.endCursor ?? null,
        },
        products: data.products.nodes.map(toFacts),
      };
    },
    async product(id: string) {
      const data = await admin.request<ProductFactsByIdQuery, ProductFactsByIdQueryVariables>(PRODUCT_QUERY, { id });
      return data.product ? toFacts(data.product) : null;
    },
    async filterValues() {
      const data = await admin.request<ProductFilterValuesQuery>(PRODUCT_FILTER_VALUES_QUERY);
      return {
        productTypes: data.productTypes?.nodes.filter(Boolean) ?? [],
        vendors: data.productVendors?.nodes.filter(Boolean) ?? [],
        tags: data.productTags?.nodes.filter(Boolean) ?? [],
      };
    },
  };
}
