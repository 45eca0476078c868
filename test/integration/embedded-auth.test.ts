import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDb } from "~/db/client.server";
import { BROWSER_HEADERS, SHOP_A, startStack, type Stack } from "../support/stack";

describe("installing and opening the embedded app", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.close());

  it("opens from the admin: token exchange through the real library, session and shop stored", async () => {
    const response = await stack.openEmbedded(SHOP_A);
    expect(response.status, stack.app.logs()).toBe(200);
    const html = await response.text();
    expect(html).toContain("https://cdn.shopify.com/shopifycloud/app-bridge.js");
    expect(html).toContain(stack.apiKey);
    expect(html).not.toContain(stack.apiSecret);
    // Embedded apps may only be framed by the shop's admin.
    expect(response.headers.get("content-security-policy")).toContain(`frame-ancestors https://${SHOP_A} https://admin.shopify.com`);

    // The layout's and the page's loaders authenticate in parallel on the first
    // load, so the library may exchange twice; Shopify accepts that.
    const issued = stack.store.accessTokens(SHOP_A);
    expect(issued.length).toBeGreaterThanOrEqual(1);
    const db = await connectDb(stack.database.url);
    try {
      const session = await db.session.findUnique({ where: { id: `offline_${SHOP_A}` } });
      expect(issued).toContain(session?.accessToken);
      expect(await db.shop.findUnique({ where: { domain: SHOP_A } })).toMatchObject({ domain: SHOP_A, uninstalledAt: null });
    } finally {
      await db.$disconnect();
    }
  });

  it("reuses the stored session on the next load (no further token exchange)", async () => {
    const before = stack.store.accessTokens(SHOP_A).length;
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
    expect(stack.store.accessTokens(SHOP_A)).toHaveLength(before);
  });

  it("rejects a session token signed with another secret", async () => {
    const url = new URL("/app", stack.app.url);
    const forged = stack.store.mintSessionToken(SHOP_A, { secret: "not-the-app-secret" });
    const response = await fetch(`${url}?_data=routes/app._index`, { headers: { ...BROWSER_HEADERS, Authorization: `Bearer ${forged}` } });
    expect(response.status).toBe(401);
  });

  it("rejects an expired session token", async () => {
    const expired = stack.store.mintSessionToken(SHOP_A, { expiresInSeconds: -120 });
    const response = await fetch(`${stack.app.url}/app?_data=routes/app._index`, { headers: { ...BROWSER_HEADERS, Authorization: `Bearer ${expired}` } });
    expect(response.status).toBe(401);
  });

  it("rejects a token minted for another app", async () => {
    const otherAudience = stack.store.mintSessionToken(SHOP_A, { audience: "someone-elses-api-key" });
    const response = await fetch(`${stack.app.url}/app?_data=routes/app._index`, { headers: { ...BROWSER_HEADERS, Authorization: `Bearer ${otherAudience}` } });
    expect(response.status).toBe(401);
  });
});
