import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStore } from "./server";
import { adminGraphql, offlineToken, SHOP, startTestStore } from "./test-harness";

const OTHER_SHOP = "other-store.myshopify.com";

describe("Admin GraphQL endpoint", () => {
  let store: LocalStore;
  let token: string;

  beforeAll(async () => {
    store = await startTestStore({ shops: [SHOP, OTHER_SHOP] });
    token = await offlineToken(store);
  });
  afterAll(() => store.close());

  it("answers 401 with Shopify's body without a token or with an unknown one", async () => {
    for (const candidate of [undefined, "shpat_unknown"]) {
      const result = await adminGraphql(store, candidate, "{ shop { name } }");
      expect(result.status).toBe(401);
      expect(result.body).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
  });

  it("rejects fields the schema does not have, in Shopify's words, without executing", async () => {
    const result = await adminGraphql(store, token, "{ foo shop { nme } }");
    expect(result.status).toBe(200);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors).toEqual([
      expect.objectContaining({ message: "Field 'foo' doesn't exist on type 'QueryRoot'", locations: [{ line: 1, column: 3 }], extensions: { code: "undefinedField", typeName: "QueryRoot", fieldName: "foo" } }),
      expect.objectContaining({ message: "Field 'nme' doesn't exist on type 'Shop'", extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nme" } }),
    ]);
  });

  it("names missing required arguments and unknown arguments", async () => {
    const result = await adminGraphql(store, token, "{ product { title } products(first: 1, color: RED) { nodes { id } } }");
    const errors = result.body.errors as { message: string; extensions: { code: string } }[];
    expect(errors.map((e) => [e.message, e.extensions.code])).toEqual([
      ["Field 'product' is missing required arguments: id", "missingRequiredArguments"],
      ["Field 'products' doesn't accept argument 'color'", "argumentNotAccepted"],
    ]);
  });

  it("reports invalid variables with INVALID_VARIABLE", async () => {
    const result = await adminGraphql(store, token, "query P($id: ID!) { product(id: $id) { title } }", {});
    expect(result.body.errors).toEqual([
      {
        message: "Variable $id of type ID! was provided invalid value",
        locations: [{ line: 1, column: 9 }],
        extensions: { code: "INVALID_VARIABLE", value: null, problems: [{ path: [], explanation: "Expected value to not be null" }] },
      },
    ]);
  });

  it("answers null and an error for an id that is not a global id, and plain null for an unknown one", async () => {
    const bad = await adminGraphql(store, token, '{ product(id: "123") { title } }');
    expect(bad.body.data).toEqual({ product: null });
    expect(bad.body.errors).toEqual([expect.objectContaining({ message: "Invalid global id '123'", path: ["product"] })]);

    const unknown = await adminGraphql(store, token, '{ product(id: "gid://shopify/Product/1") { title } }');
    expect(unknown.body).toMatchObject({ data: { product: null } });
    expect(unknown.body.errors).toBeUndefined();
  });

  it("fails loudly on root fields it does not implement", async () => {
    const result = await adminGraphql(store, token, "{ orders(first: 1) { nodes { id } } }");
    expect(result.body.errors).toEqual([expect.objectContaining({ message: "Field 'QueryRoot.orders' is not implemented by the local store", path: ["orders"] })]);
  });

  it("answers for 2026-07 whatever release is asked, and 404 for a version that is not one", async () => {
    const ask = (version: string) =>
      fetch(`${store.shopOrigin(SHOP)}/admin/api/${version}/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
        body: JSON.stringify({ query: "{ shop { name } }" }),
      });
    const older = await ask("2025-10");
    expect(older.status).toBe(200);
    expect(older.headers.get("x-shopify-api-version")).toBe("2026-07");
    expect((await ask("2026-13")).status).toBe(404);
  });

  it("keeps shops apart: a token for one shop cannot read another, and ids never collide", async () => {
    const foreign = await adminGraphql(store, token, "{ shop { name } }", undefined, OTHER_SHOP);
    expect(foreign.status).toBe(401);

    const otherToken = await offlineToken(store, OTHER_SHOP);
    const ours = await adminGraphql<{ products: { nodes: { id: string }[] } }>(store, token, "{ products(first: 250) { nodes { id } } }");
    const theirs = await adminGraphql<{ products: { nodes: { id: string }[] } }>(store, otherToken, "{ products(first: 250) { nodes { id } } }", undefined, OTHER_SHOP);
    const ourIds = new Set(ours.body.data!.products.nodes.map((n) => n.id));
    const theirIds = theirs.body.data!.products.nodes.map((n) => n.id);
    expect(theirIds.length).toBe(ourIds.size);
    expect(theirIds.filter((id) => ourIds.has(id))).toEqual([]);

    const crossRead = await adminGraphql(store, otherToken, "query($id: ID!) { product(id: $id) { title } }", { id: [...ourIds][0] }, OTHER_SHOP);
    expect(crossRead.body.data).toEqual({ product: null });
  });

  it("resolves shop fields from the store state", async () => {
    const result = await adminGraphql(store, token, "{ shop { id name myshopifyDomain email currencyCode plan { displayName partnerDevelopment shopifyPlus } } }");
    expect(result.body.data).toEqual({
      shop: {
        id: `gid://shopify/Shop/${store.data.shop(SHOP).id}`,
        name: "Demo Store",
        myshopifyDomain: SHOP,
        email: `owner@${SHOP}`,
        currencyCode: "USD",
        plan: { displayName: "Basic", partnerDevelopment: true, shopifyPlus: false },
      },
    });
  });
});
