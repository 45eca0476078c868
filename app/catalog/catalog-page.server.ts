import { db } from "~/db.server";
import { AdminApiError, createAdminGraphql, type RawGraphql } from "~/shopify/admin-graphql.server";
import { shopifyCatalog } from "~/shopify/products.server";
import { ensureShop } from "~/shops/install.server";
import { listProducts } from "./catalog.server";
import type { CatalogPage, CatalogQuery, FilterValues } from "./types";

export type CatalogPageData =
  | { ok: true; page: CatalogPage; filters: FilterValues }
  | { ok: false; message: string };

/** The products screen's data: a page of the catalog plus the values to filter by. */
export async function getCatalogPage(
  auth: { shop: string; graphql: RawGraphql },
  query: CatalogQuery,
): Promise<CatalogPageData> {
  const shop = await ensureShop(db, auth.shop);
  const source = shopifyCatalog(createAdminGraphql(auth.graphql, auth.shop));
  try {
    const [page, filters] = await Promise.all([
      listProducts({ db, source, shopId: shop.id, now: () => new Date() }, query),
      source.filterValues(),
    ]);
    return { ok: true, page, filters };
  } catch (error) {
    if (error instanceof AdminApiError) {
      return { ok: false, message: `Shopify did not return your products: ${error.message}` };
    }
    throw error;
  }
}
