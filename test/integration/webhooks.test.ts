import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDb, type Db } from "~/db/client.server";
import { SHOP_A, SHOP_B, startStack, type Stack } from "../support/stack";

describe("webhooks the app must get right", () => {
  let stack: Stack;
  let db: Db;
  beforeAll(async () => {
    // The worker runs shop/redact's erase job.
    stack = await startStack({ worker: true });
    db = await connectDb(stack.database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await stack?.close();
  });

  async function install(shop: string) {
    expect((await stack.openEmbedded(shop)).status).toBe(200);
  }

  it("answers a forged HMAC with 401 and changes nothing", async () => {
    await install(SHOP_A);
    const result = await stack.store.deliverWebhook(SHOP_A, "app/uninstalled", { id: 1, domain: SHOP_A }, { forgeHmac: true });
    expect(result.status).toBe(401);
    expect(await db.session.count({ where: { shop: SHOP_A } })).toBeGreaterThan(0);
  });

  it("app/uninstalled deletes the shop's sessions and marks it uninstalled, once or many times", async () => {
    await install(SHOP_A);
    await install(SHOP_B);
    for (let i = 0; i < 2; i++) {
      const result = await stack.store.deliverWebhook(SHOP_A, "app/uninstalled", { id: 1, domain: SHOP_A }, { webhookId: "same-delivery" });
      expect(result, stack.app.logs().slice(-4000)).toMatchObject({ status: 200, delivered: true, attempts: 1 });
    }
    expect(await db.session.count({ where: { shop: SHOP_A } })).toBe(0);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP_A } })).uninstalledAt).toBeInstanceOf(Date);
    // The other shop is untouched.
    expect(await db.session.count({ where: { shop: SHOP_B } })).toBeGreaterThan(0);
    // Reinstalling clears the mark.
    await install(SHOP_A);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP_A } })).uninstalledAt).toBeNull();
  });

  it("app/scopes_update records the granted scopes", async () => {
    await install(SHOP_A);
    const result = await stack.store.deliverWebhook(SHOP_A, "app/scopes_update", {
      id: 1,
      previous: ["read_products"],
      current: ["read_products", "write_products", "write_files"],
      updated_at: new Date().toISOString(),
    });
    expect(result.status).toBe(200);
    const session = await db.session.findUniqueOrThrow({ where: { id: `offline_${SHOP_A}` } });
    expect(session.scope).toBe("read_products,write_products,write_files");
  });

  it("shop/redact erases the shop and everything it owns, and only that shop", async () => {
    await install(SHOP_A);
    await install(SHOP_B);
    await stack.loadData(SHOP_A, "/app", "routes/app._index");
    await stack.loadData(SHOP_B, "/app", "routes/app._index");
    const result = await stack.store.deliverWebhook(SHOP_A, "shop/redact", { shop_id: 1, shop_domain: SHOP_A });
    expect(result.status).toBe(200);
    const deadline = Date.now() + 30_000;
    while ((await db.shop.count({ where: { domain: SHOP_A } })) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await db.shop.count({ where: { domain: SHOP_A } })).toBe(0);
    expect(await db.session.count({ where: { shop: SHOP_A } })).toBe(0);
    const b = await db.shop.findUniqueOrThrow({ where: { domain: SHOP_B } });
    expect(await db.productCache.count({ where: { shopId: b.id } })).toBeGreaterThan(0);
    expect(await db.productCache.count({ where: { shopId: { not: b.id } } })).toBe(0);
  });

  it("acknowledges the customer compliance topics (the app keeps no customer data)", async () => {
    const request = await stack.store.deliverWebhook(SHOP_B, "customers/data_request", {
      shop_id: 2,
      shop_domain: SHOP_B,
      customer: { id: 7, email: "x@example.com" },
      orders_requested: [],
      data_request: { id: 9 },
    });
    const redact = await stack.store.deliverWebhook(SHOP_B, "customers/redact", {
      shop_id: 2,
      shop_domain: SHOP_B,
      customer: { id: 7, email: "x@example.com" },
      orders_to_redact: [],
    });
    expect([request.status, redact.status]).toEqual([200, 200]);
  });
});
