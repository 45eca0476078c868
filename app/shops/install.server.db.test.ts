import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../test/support/use-test-database";
import { ensureShop, recordInstall } from "./install.server";

const t = useTestDatabase();

describe("the shop row on install", () => {
  // The admin's first load runs the layout's and the page's loaders at once: both
  // authenticate (afterAuth records the install) and both look the shop up.
  it("is created once when the install and page loads race for a new shop", async () => {
    const domain = "racing-store.myshopify.com";
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => recordInstall(t.db, { shop: domain, scopes: "read_products" })),
      ...Array.from({ length: 6 }, () => ensureShop(t.db, domain)),
    ]);
    expect(new Set(results.map((shop) => shop.id)).size).toBe(1);
    expect(await t.db.shop.count({ where: { domain } })).toBe(1);
    expect((await t.db.shop.findUniqueOrThrow({ where: { domain } })).scopes).toBe("read_products");
  });
});
