import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMALL_CATALOG_SIZE, smallSeedCatalog } from "./fixtures/small-catalog";
import type { LocalStore } from "./server";
import { adminGraphql, offlineToken, startTestStore } from "./test-harness";

interface Page {
  products: {
    edges: { cursor: string; node: { id: string; title: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

const PAGE_QUERY = `query Page($first: Int, $after: String, $last: Int, $before: String, $sortKey: ProductSortKeys, $reverse: Boolean, $query: String) {
  products(first: $first, after: $after, last: $last, before: $before, sortKey: $sortKey, reverse: $reverse, query: $query) {
    edges { cursor node { id title } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const seeds = smallSeedCatalog();

describe("products", () => {
  let store: LocalStore;
  let token: string;
  const page = async (variables: Record<string, unknown>) => {
    const result = await adminGraphql<Page>(store, token, PAGE_QUERY, variables);
    expect(result.body.errors).toBeUndefined();
    return result.body.data!.products;
  };
  const titles = async (query: string) => {
    const result = await adminGraphql<{ products: { nodes: { handle: string }[] } }>(store, token, "query($q: String) { products(first: 250, query: $q) { nodes { handle } } }", { q: query });
    expect(result.body.errors).toBeUndefined();
    return result.body.data!.products.nodes.map((n) => n.handle).sort();
  };
  const expectedHandles = (predicate: (seed: (typeof seeds)[number]) => boolean) => seeds.filter(predicate).map((s) => s.handle).sort();

  beforeAll(async () => {
    store = await startTestStore();
    token = await offlineToken(store);
  });
  afterAll(() => store.close());

  it("pages forward through every product with first/after and back with last/before", async () => {
    const forward: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const current: Page["products"] = await page({ first: 7, after });
      pages += 1;
      expect(current.pageInfo.hasPreviousPage).toBe(after !== null);
      forward.push(...current.edges.map((e) => e.node.id));
      if (!current.pageInfo.hasNextPage) break;
      after = current.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(SMALL_CATALOG_SIZE / 7));
    expect(forward).toHaveLength(SMALL_CATALOG_SIZE);
    expect(new Set(forward).size).toBe(SMALL_CATALOG_SIZE);

    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const current: Page["products"] = await page({ last: 10, before });
      expect(current.pageInfo.hasNextPage).toBe(before !== null);
      backward.unshift(...current.edges.map((e) => e.node.id));
      if (!current.pageInfo.hasPreviousPage) break;
      before = current.pageInfo.startCursor;
    }
    expect(backward).toEqual(forward);
  });

  it("uses opaque base64 cursors and rejects ones it did not issue", async () => {
    const first = await page({ first: 1 });
    expect(first.edges[0]!.cursor).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const result = await adminGraphql(store, token, 'query { products(first: 1, after: "bm9wZQ==") { nodes { id } } }');
    expect(result.body.errors?.[0]).toMatchObject({ message: "Invalid cursor for current pagination sort." });
  });

  it("requires first or last", async () => {
    const result = await adminGraphql(store, token, "{ products { nodes { id } } }");
    expect(result.body.errors?.[0]).toMatchObject({ message: "you must provide one of first or last", path: ["products"] });
  });

  it("sorts by each sort key, reversed on request, ties broken by id", async () => {
    const sortedBy = async (sortKey: string, reverse: boolean) =>
      (await page({ first: 250, sortKey, reverse })).edges.map((e) => e.node.title);
    const byTitle = await sortedBy("TITLE", false);
    expect(byTitle).toEqual([...byTitle].sort((a, b) => a.localeCompare(b)));
    expect(await sortedBy("TITLE", true)).toEqual([...byTitle].reverse());

    const types = (await adminGraphql<{ products: { nodes: { productType: string; vendor: string; createdAt: string }[] } }>(store, token, "{ products(first: 250, sortKey: PRODUCT_TYPE) { nodes { productType vendor createdAt } } }")).body.data!.products.nodes;
    expect(types.map((n) => n.productType)).toEqual(types.map((n) => n.productType).sort());
    const newestFirst = (await adminGraphql<{ products: { nodes: { createdAt: string }[] } }>(store, token, "{ products(first: 250, sortKey: CREATED_AT, reverse: true) { nodes { createdAt } } }")).body.data!.products.nodes.map((n) => n.createdAt);
    expect(newestFirst).toEqual([...newestFirst].sort().reverse());

    // Paging keeps working under a non-id sort, including across equal sort values.
    const first = await page({ first: 5, sortKey: "VENDOR" });
    const next = await page({ first: 5, sortKey: "VENDOR", after: first.pageInfo.endCursor });
    const all = await page({ first: 10, sortKey: "VENDOR" });
    expect([...first.edges, ...next.edges].map((e) => e.node.id)).toEqual(all.edges.map((e) => e.node.id));
  });

  it("understands Shopify's search syntax", async () => {
    expect(await titles("title:ocean")).toEqual(expectedHandles((s) => s.title.startsWith("Ocean ")));
    expect(await titles('title:"ocean mug"')).toEqual(expectedHandles((s) => s.title === "Ocean Mug"));
    expect(await titles("product_type:Home")).toEqual(expectedHandles((s) => s.productType === "Home"));
    expect(await titles("vendor:'Blue Harbor'")).toEqual(expectedHandles((s) => s.vendor === "Blue Harbor"));
    expect(await titles("vendor:North*")).toEqual(expectedHandles((s) => s.vendor === "Northwind"));
    expect(await titles("tag:featured")).toEqual(expectedHandles((s) => s.tags.includes("featured")));
    expect(await titles("status:draft")).toEqual(expectedHandles((s) => s.status === "DRAFT"));
    expect(await titles("status:draft,archived")).toEqual(expectedHandles((s) => s.status !== "ACTIVE"));
    expect(await titles("created_at:>2024-02-01")).toEqual(expectedHandles((s) => s.createdAt >= "2024-02-02"));
    expect(await titles("created_at:>=2024-02-01 created_at:<'2024-02-05T00:00:00Z'")).toEqual(expectedHandles((s) => s.createdAt >= "2024-02-01" && s.createdAt < "2024-02-05"));
    expect(await titles("created_at:<=2024-01-03")).toEqual(expectedHandles((s) => s.createdAt < "2024-01-04"));
    expect(await titles("mug")).toEqual(expectedHandles((s) => s.title.endsWith(" Mug")));
    expect(await titles("tag:mug AND vendor:Northwind")).toEqual(expectedHandles((s) => s.tags.includes("mug") && s.vendor === "Northwind"));
    expect(await titles("tag:mug OR tag:lamp")).toEqual(expectedHandles((s) => s.tags.includes("mug") || s.tags.includes("lamp")));
    expect(await titles("tag:mug -vendor:Northwind")).toEqual(expectedHandles((s) => s.tags.includes("mug") && s.vendor !== "Northwind"));
    expect(await titles("NOT status:active")).toEqual(expectedHandles((s) => s.status !== "ACTIVE"));
    expect(await titles("(tag:mug OR tag:ring) AND status:active")).toEqual(expectedHandles((s) => (s.tags.includes("mug") || s.tags.includes("ring")) && s.status === "ACTIVE"));
  });

  it("warns about unknown search fields instead of failing", async () => {
    const result = await adminGraphql(store, token, '{ products(first: 1, query: "colour:red") { nodes { id } } }');
    expect(result.body.extensions?.search).toEqual([{ path: ["products"], query: "colour:red", warnings: [{ field: "colour", message: "Invalid search field for this query." }] }]);
  });

  it("counts products matching a query", async () => {
    const result = await adminGraphql(store, token, '{ all: productsCount { count precision } drafts: productsCount(query: "status:draft") { count precision } capped: productsCount(limit: 5) { count precision } }');
    expect(result.body.data).toEqual({
      all: { count: SMALL_CATALOG_SIZE, precision: "EXACT" },
      drafts: { count: seeds.filter((s) => s.status === "DRAFT").length, precision: "EXACT" },
      capped: { count: 5, precision: "AT_LEAST" },
    });
  });

  it("serves product fields, variants, options and media, and resolves node/nodes", async () => {
    const seed = seeds[3]!; // a single-variant Lamp with two photos
    const product = [...store.data.shop("demo-store.myshopify.com").products.values()].find((p) => p.handle === seed.handle)!;
    const gid = `gid://shopify/Product/${product.id}`;
    const result = await adminGraphql<Record<string, unknown>>(
      store,
      token,
      `query($id: ID!, $ids: [ID!]!) {
        product(id: $id) { id title handle description descriptionHtml status tags vendor productType
          options { name values optionValues { name } }
          variants(first: 10) { nodes { title price sku selectedOptions { name value } } }
          featuredMedia { ... on MediaImage { image { url(transform: { maxWidth: 200 }) width height } } }
          mediaCount { count precision } onlineStoreUrl }
        node(id: $id) { __typename ... on Product { handle } }
        nodes(ids: $ids) { __typename id }
      }`,
      { id: gid, ids: [gid, `gid://shopify/ProductVariant/${product.variants[0]!.id}`, `gid://shopify/MediaImage/${product.media[0]!.id}`, "gid://shopify/Product/1"] },
    );
    expect(result.body.errors).toBeUndefined();
    const data = result.body.data as { product: Record<string, unknown> & { featuredMedia: { image: { url: string; width: number; height: number } } } };
    expect(data).toMatchObject({
      product: {
        id: gid,
        title: seed.title,
        handle: seed.handle,
        description: `The ${seed.title} & friends.\nItem 3.`,
        descriptionHtml: seed.descriptionHtml,
        status: seed.status,
        tags: seed.tags,
        options: [{ name: "Title", values: ["Default Title"], optionValues: [{ name: "Default Title" }] }],
        variants: { nodes: [{ title: "Default Title", price: seed.variants[0]!.price, sku: seed.variants[0]!.sku, selectedOptions: [{ name: "Title", value: "Default Title" }] }] },
        mediaCount: { count: seed.photos.length, precision: "EXACT" },
        onlineStoreUrl: null,
      },
      node: { __typename: "Product", handle: seed.handle },
      nodes: [{ __typename: "Product" }, { __typename: "ProductVariant" }, { __typename: "MediaImage" }, null],
    });

    const image = data.product.featuredMedia.image;
    expect(image.url).toMatch(new RegExp(`^${store.origin}/s/files/1/\\d{4}/\\d{4}/\\d{4}/files/[^?]+\\.png\\?v=\\d+&width=200$`));
    const resized = await fetch(image.url);
    expect(resized.headers.get("content-type")).toBe("image/png");
    const meta = await sharp(Buffer.from(await resized.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([200, Math.round((200 * image.height) / image.width)]);
    const original = await sharp(Buffer.from(await (await fetch(image.url.replace(/&width=200$/, ""))).arrayBuffer())).metadata();
    expect([original.width, original.height]).toEqual([image.width, image.height]);
    expect((await fetch(`${store.origin}/s/files/1/0000/0000/0000/files/nope.png`)).status).toBe(404);
  });
});
