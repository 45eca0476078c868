/** In-memory state of every shop the local store serves. Tests read and mutate it directly. */
import type { Catalog, SeedProduct } from "./catalog-types";

export type ProductStatus = SeedProduct["status"];

export interface StoredImage {
  id: number;
  fileName: string;
  width: number;
  height: number;
  /** Bumped when the bytes change, like the `v=` of Shopify CDN URLs. */
  version: number;
  source: { kind: "seed"; product: SeedProduct; photoKey: string } | { kind: "bytes"; bytes: Buffer };
}

export interface StoredMediaImage {
  id: number;
  alt: string;
  status: "UPLOADED" | "PROCESSING" | "READY" | "FAILED";
  createdAt: string;
  image: StoredImage;
  /** Shopify's media errors once processing FAILED. */
  errors?: StoredMediaError[];
  /** Known before processing starts (e.g. the source could not be downloaded); processing fails with it. */
  pendingError?: StoredMediaError;
}

export interface StoredMediaError {
  code: string;
  message: string;
  details: string | null;
}

export interface StoredOption {
  id: number;
  name: string;
  optionValues: { id: number; name: string }[];
}

export interface StoredVariant {
  id: number;
  title: string;
  price: string;
  sku: string;
  selectedOptions: { name: string; value: string }[];
  createdAt: string;
}

export interface StoredProduct {
  id: number;
  handle: string;
  title: string;
  descriptionHtml: string;
  productType: string;
  vendor: string;
  tags: string[];
  status: ProductStatus;
  createdAt: string;
  updatedAt: string;
  options: StoredOption[];
  variants: StoredVariant[];
  media: StoredMediaImage[];
}

export interface ShopState {
  domain: string;
  /** The numeric id Shopify shows in gid://shopify/Shop/<id>. */
  id: number;
  name: string;
  email: string;
  currencyCode: string;
  /** The `1/0612/3456/7890` part of this shop's CDN file URLs. */
  cdnPath: string;
  products: Map<number, StoredProduct>;
}

export class StoreData {
  readonly shops = new Map<string, ShopState>();
  /** One counter for every resource of every shop, so no two shops ever share an id. */
  private lastId = 8_000_000_000_000;

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  shop(domain: string): ShopState {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`The local store does not serve ${domain}`);
    return shop;
  }

  /** Every image of every shop, keyed by the path it is served at. */
  findImage(cdnPath: string, fileName: string): StoredImage | undefined {
    for (const shop of this.shops.values()) {
      if (shop.cdnPath !== cdnPath) continue;
      for (const product of shop.products.values()) {
        const media = product.media.find((m) => m.image.fileName === fileName);
        if (media) return media.image;
      }
    }
    return undefined;
  }
}

export function seedStoreData(domains: string[], catalog: Catalog): StoreData {
  const data = new StoreData();
  domains.forEach((domain, index) => {
    const shopNumber = String(61234567 + index * 1111).padStart(12, "0");
    const shop: ShopState = {
      domain,
      id: 60_000_000_000 + index + 1,
      name: titleFromDomain(domain),
      email: `owner@${domain}`,
      currencyCode: "USD",
      cdnPath: `1/${shopNumber.slice(0, 4)}/${shopNumber.slice(4, 8)}/${shopNumber.slice(8)}`,
      products: new Map(),
    };
    for (const seed of catalog.seedCatalog()) {
      const product = productFromSeed(data, seed);
      shop.products.set(product.id, product);
    }
    data.shops.set(domain, shop);
  });
  return data;
}

function productFromSeed(data: StoreData, seed: SeedProduct): StoredProduct {
  return {
    id: data.nextId(),
    handle: seed.handle,
    title: seed.title,
    descriptionHtml: seed.descriptionHtml,
    productType: seed.productType,
    vendor: seed.vendor,
    tags: [...seed.tags],
    status: seed.status,
    createdAt: seed.createdAt,
    updatedAt: seed.createdAt,
    options: seed.options.map((o) => ({
      id: data.nextId(),
      name: o.name,
      optionValues: o.values.map((name) => ({ id: data.nextId(), name })),
    })),
    variants: seed.variants.map((v) => ({
      id: data.nextId(),
      title: v.title,
      price: v.price,
      sku: v.sku,
      selectedOptions: v.selectedOptions.map((s) => ({ ...s })),
      createdAt: seed.createdAt,
    })),
    media: seed.photos.map((photo) => ({
      id: data.nextId(),
      alt: photo.alt,
      status: "READY" as const,
      createdAt: seed.createdAt,
      image: {
        id: data.nextId(),
        fileName: `${seed.handle}-${photo.key}.png`,
        width: photo.width,
        height: photo.height,
        version: Math.floor(Date.parse(seed.createdAt) / 1000),
        source: { kind: "seed" as const, product: seed, photoKey: photo.key },
      },
    })),
  };
}

function titleFromDomain(domain: string): string {
  return domain
    .replace(/\.myshopify\.com$/, "")
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}
