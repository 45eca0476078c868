import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../test/support/use-test-database";
import { ensureShop, recordInstall } from "./install.server";

const t = useTestDatabase();

// The admin's first load runs the layout's and the page's loaders at once: each
// exchanges the session token, stores the session, records the install (afterAuth)
// and looks the shop up. Each round is a new shop, so each races for a new row.
const ROUNDS = 8;

describe("the shop row on install", () => {
  it("is created once when the install and page loads race for a new shop", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const domain = `racing-store-${round}.myshopify.com`;
      const results = await Promise.all([
        ...Array.from({ length: 6 }, () => recordInstall(t.db, { shop: domain, scopes: "read_products" })),
        ...Array.from({ length: 6 }, () => ensureShop(t.db, domain)),
      ]);
      expect(new Set(results.map((shop) => shop.id)).size).toBe(1);
      expect(await t.db.shop.count({ where: { domain } })).toBe(1);
      expect((await t.db.shop.findUniqueOrThrow({ where: { domain } })).scopes).toBe("read_products");
    }
  });

  it("stores the offline session once when several requests store it at once", async () => {
    // The library retries a conflict only for errors of the default @prisma/client's class, which ours are not.
    const storage = new PrismaSessionStorage(t.db as never);
    for (let round = 0; round < ROUNDS; round++) {
      const shop = `racing-session-${round}.myshopify.com`;
      const sessions = Array.from(
        { length: 6 },
        (_, i) => new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_products", accessToken: `token-${i}` }),
      );
      const stored = await Promise.all(sessions.map((session) => storage.storeSession(session)));
      expect(stored).toEqual(sessions.map(() => true));
      expect(await t.db.session.count({ where: { shop } })).toBe(1);
    }
  });
});
