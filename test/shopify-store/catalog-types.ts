/** What a catalog gives the store: ./catalog (the seeded one) or a small one in tests. */
export interface SeedProduct {
  handle: string;
  title: string;
  descriptionHtml: string;
  productType: string;
  vendor: string;
  tags: string[];
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  createdAt: string;
  options: { name: string; values: string[] }[];
  variants: { title: string; price: string; sku: string; selectedOptions: { name: string; value: string }[] }[];
  photos: { key: string; alt: string; width: number; height: number }[];
}

export interface Catalog {
  seedCatalog(): SeedProduct[];
  renderProductPhoto(product: SeedProduct, photoKey: string): Promise<Buffer>;
}
