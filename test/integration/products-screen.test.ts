import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogPageData } from "~/catalog/catalog-page.server";
import { connectDb } from "~/db/client.server";
import { SHOP_A, SHOP_B, startStack, type Stack } from "../support/stack";

const ROUTE = "routes/app._index";
type Page = Extract<CatalogPageData, { ok: true }>;

async function allPages(stack: Stack, shop: string, params = "") {
  const titles: string[] = [];
  const ids: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 20; i++) {
    const { status, body }: { status: number; body: Page } = await stack.loadData<Page>(shop, `/app?${params}${after ? `&after=${encodeURIComponent(after)}` : ""}`, ROUTE);
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    titles.push(...body.page.products.map((p) => p.title));
    ids.push(...body.page.products.map((p) => p.id));
    if (!body.page.pageInfo.hasNextPage) return { titles, ids };
    after = body.page.pageInfo.endCursor;
  }
  throw new Error("more than 20 pages");
}

describe("the products screen against the local store", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    // Installing: the admin opens the app once for each shop.
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
    expect((await stack.openEmbedded(SHOP_B)).status).toBe(200);
  });
  afterAll(async () => stack?.close());

  it("pages through every seeded product, forwards and back, sorted by title", async () => {
    const seeded = [...stack.store.data.shop(SHOP_A).products.values()];
    expect(seeded.length).toBeGreaterThanOrEqual(60);
    const { titles, ids } = await allPages(stack, SHOP_A);
    expect(new Set(ids).size).toBe(seeded.length);
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b)));

    const first = await stack.loadData<Page>(SHOP_A, "/app", ROUTE);
    const second = await stack.loadData<Page>(SHOP_A, `/app?after=${encodeURIComponent(first.body.page.pageInfo.endCursor!)}`, ROUTE);
    const back = await stack.loadData<Page>(SHOP_A, `/app?before=${encodeURIComponent(second.body.page.pageInfo.startCursor!)}`, ROUTE);
    expect(back.body.page.products.map((p) => p.id)).toEqual(first.body.page.products.map((p) => p.id));
    expect(back.body.page.pageInfo.hasPreviousPage).toBe(false);
  });

  it("filters by type, vendor and tag and searches by title, offering the shop's own values", async () => {
    const { body } = await stack.loadData<Page>(SHOP_A, "/app", ROUTE);
    const seeded = [...stack.store.data.shop(SHOP_A).products.values()];
    expect(body.filters.productTypes).toEqual([...new Set(seeded.map((p) => p.productType))].sort((a, b) => a.localeCompare(b)));

    const type = seeded[0]!.productType;
    const byType = await allPages(stack, SHOP_A, `type=${encodeURIComponent(type)}`);
    expect(byType.ids.length).toBe(seeded.filter((p) => p.productType === type).length);

    const vendor = seeded[3]!.vendor;
    const byVendor = await allPages(stack, SHOP_A, `vendor=${encodeURIComponent(vendor)}`);
    expect(byVendor.ids.length).toBe(seeded.filter((p) => p.vendor === vendor).length);

    const tag = seeded.find((p) => p.tags.length)!.tags[0]!;
    const byTag = await allPages(stack, SHOP_A, `tag=${encodeURIComponent(tag)}`);
    expect(byTag.ids.length).toBe(seeded.filter((p) => p.tags.includes(tag)).length);

    const word = seeded[5]!.title.split(" ")[0]!;
    const search = await allPages(stack, SHOP_A, `q=${encodeURIComponent(word)}`);
    expect(search.titles.length).toBeGreaterThan(0);
    for (const title of search.titles) expect(title.toLowerCase()).toContain(word.toLowerCase());
  });

  it("answers invalid parameters with a clear 400", async () => {
    const { status, body } = await stack.loadData<{ message: string }>(SHOP_A, "/app?status=DELETED", ROUTE);
    expect(status).toBe(400);
    expect(body.message).toBe("Those filters are not valid.");
  });

  it("caches the facts the generator needs, per shop", async () => {
    await stack.loadData<Page>(SHOP_A, "/app", ROUTE);
    const db = await connectDb(stack.database.url);
    try {
      const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP_A } });
      const cached = await db.productCache.findMany({ where: { shopId: shop.id } });
      expect(cached.length).toBeGreaterThanOrEqual(25);
      const withPhoto = cached.find((c) => c.featuredImageUrl);
      expect(withPhoto?.descriptionHtml.length).toBeGreaterThan(20);
      expect(JSON.parse(withPhoto!.mediaJson)).toEqual(expect.arrayContaining([expect.objectContaining({ url: withPhoto!.featuredImageUrl })]));
    } finally {
      await db.$disconnect();
    }
  });

  it("shows each shop only its own catalog", async () => {
    const a = await allPages(stack, SHOP_A);
    const b = await allPages(stack, SHOP_B);
    expect(a.ids.filter((id) => b.ids.includes(id))).toEqual([]);
    const bIds = new Set([...stack.store.data.shop(SHOP_B).products.keys()].map((n) => `gid://shopify/Product/${n}`));
    for (const id of b.ids) expect(bIds.has(id)).toBe(true);
  });
});

describe("a shop whose API bucket is nearly empty", () => {
  let stack: Stack;
  beforeAll(async () => {
    // Room for one page query at a time, refilled slowly: parallel loads must queue.
    stack = await startStack({ bucketSize: 1000, restoreRate: 250 });
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
  });
  afterAll(async () => stack?.close());

  it("queues parallel loads behind the bucket so Shopify never refuses one, and every load succeeds", async () => {
    const loads = await Promise.all([1, 2, 3, 4].map(() => stack.loadData<Page>(SHOP_A, "/app", ROUTE)));
    for (const { status, body } of loads) {
      expect(status).toBe(200);
      expect(body.ok).toBe(true);
      expect(body.page.products).toHaveLength(25);
    }
    // The client reserves each request's cost before sending (app/shopify/admin-graphql.server.ts);
    // its THROTTLED retry is covered by admin-graphql.server.test.ts.
    const answers = stack.store.graphqlLog.filter((e) => e.shop === SHOP_A);
    expect(answers.flatMap((e) => e.errorCodes)).toEqual([]);
    expect(answers.reduce((sum, e) => sum + (e.requestedQueryCost ?? 0), 0)).toBeGreaterThan(1000);
  });
});
