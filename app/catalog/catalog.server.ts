import type { Db } from "~/db/client.server";
import type { CatalogPage, CatalogQuery, CatalogSource, ProductFacts } from "./types";

/** How long cached facts are trusted before the generator re-reads Shopify. */
export const PRODUCT_FACTS_MAX_AGE_MS = 15 * 60 * 1000;

interface Deps {
  db: Db;
  source: CatalogSource;
  shopId: string;
  now: () => Date;
}

/** A page of the shop's catalog, straight from Shopify; the facts seen are cached. */
export async function listProducts(deps: Deps, query: CatalogQuery): Promise<CatalogPage> {
  const page = await deps.source.page(query);
  await cacheFacts(deps, page.products);
  return page;
}

/** Facts for one product: cached when fresh, else re-read; null when Shopify no longer has it. */
export async function getProductFacts(
  deps: Deps,
  productId: string,
  maxAgeMs = PRODUCT_FACTS_MAX_AGE_MS,
): Promise<ProductFacts | null> {
  const cached = await deps.db.productCache.findUnique({
    where: { shopId_productGid: { shopId: deps.shopId, productGid: productId } },
  });
  if (cached && deps.now().getTime() - cached.fetchedAt.getTime() <= maxAgeMs) return fromRow(cached);
  const fresh = await deps.source.product(productId);
  if (!fresh) {
    await deps.db.productCache.deleteMany({ where: { shopId: deps.shopId, productGid: productId } });
    return null;
  }
  await cacheFacts(deps, [fresh]);
  return fresh;
}

async function cacheFacts(deps: Deps, products: ProductFacts[]) {
  if (products.length === 0) return;
  const fetchedAt = deps.now();
  await deps.db.$transaction(
    products.map((p) => {
      const data = {
        title: p.title,
        handle: p.handle,
        descriptionHtml: p.descriptionHtml,
        productType: p.productType,
        vendor: p.vendor,
        status: p.status,
        tagsJson: JSON.stringify(p.tags),
        optionsJson: JSON.stringify(p.options),
        mediaJson: JSON.stringify(p.media),
        featuredImageUrl: p.featuredImageUrl,
        mediaCount: p.mediaCount,
        shopifyUpdatedAt: new Date(p.updatedAt),
        fetchedAt,
      };
      return deps.db.productCache.upsert({
        where: { shopId_productGid: { shopId: deps.shopId, productGid: p.id } },
        create: { shopId: deps.shopId, productGid: p.id, ...data },
        update: data,
      });
    }),
  );
}

type Row = NonNullable<Awaited<ReturnType<Db["productCache"]["findUnique"]>>>;

function fromRow(row: Row): ProductFacts {
  return {
    id: row.productGid,
    title: row.title,
    handle: row.handle,
    descriptionHtml: row.descriptionHtml,
    productType: row.productType,
    vendor: row.vendor,
    status: row.status,
    tags: JSON.parse(row.tagsJson) as string[],
    options: JSON.parse(row.optionsJson) as ProductFacts["options"],
    media: JSON.parse(row.mediaJson) as ProductFacts["media"],
    updatedAt: row.shopifyUpdatedAt.toISOString(),
    mediaCount: row.mediaCount,
    featuredImageUrl: row.featuredImageUrl,
    thumbnailUrl: null,
  };
}
