/** A product as the generator sees it; cached per shop (ProductCache). */
export interface ProductFacts {
  id: string;
  title: string;
  handle: string;
  descriptionHtml: string;
  productType: string;
  vendor: string;
  status: string;
  tags: string[];
  options: { name: string; values: string[] }[];
  updatedAt: string;
  mediaCount: number;
  featuredImageUrl: string | null;
  /** A small rendition for lists; null when read from the cache. */
  thumbnailUrl: string | null;
  media: { id: string; alt: string; status: string; url: string; width: number | null; height: number | null }[];
}

export interface CatalogQuery {
  text?: string;
  productType?: string;
  vendor?: string;
  tag?: string;
  status?: "ACTIVE" | "DRAFT" | "ARCHIVED";
  after?: string;
  before?: string;
  pageSize: number;
}

export interface CatalogPage {
  products: ProductFacts[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export interface FilterValues {
  productTypes: string[];
  vendors: string[];
  tags: string[];
}

/** Where product facts come from: the shop's Admin API in the app, anything in tests. */
export interface CatalogSource {
  page(query: CatalogQuery): Promise<CatalogPage>;
  product(id: string): Promise<ProductFacts | null>;
  filterValues(): Promise<FilterValues>;
}
