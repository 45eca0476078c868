import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../test/support/use-test-database";
import { DELIVERY_RETENTION_MS, oncePerDelivery, pruneDeliveries } from "./delivery.server";

const t = useTestDatabase();
const SHOP = "a.myshopify.com";

describe("webhook deliveries take effect once", () => {
  it("runs the effect for the first delivery only; Shopify's retries of it are no-ops", async () => {
    let effects = 0;
    const meta = { shopDomain: SHOP, topic: "PRODUCTS_CREATE", webhookId: "w1", eventId: "e1" };
    expect(await oncePerDelivery(t.db, meta, async () => void effects++)).toBe("done");
    expect(await oncePerDelivery(t.db, meta, async () => void effects++)).toBe("duplicate");
    expect(effects).toBe(1);
  });

  it("treats another delivery of the same event and topic as a duplicate, but not the same ids in another shop", async () => {
    let effects = 0;
    await oncePerDelivery(t.db, { shopDomain: SHOP, topic: "PRODUCTS_UPDATE", webhookId: "w1", eventId: "e1" }, async () => void effects++);
    expect(await oncePerDelivery(t.db, { shopDomain: SHOP, topic: "PRODUCTS_UPDATE", webhookId: "w2", eventId: "e1" }, async () => void effects++)).toBe("duplicate");
    expect(await oncePerDelivery(t.db, { shopDomain: "b.myshopify.com", topic: "PRODUCTS_UPDATE", webhookId: "w1", eventId: "e1" }, async () => void effects++)).toBe("done");
    expect(effects).toBe(2);
  });

  it("forgets a delivery whose effect failed, so Shopify's retry runs it", async () => {
    const meta = { shopDomain: SHOP, topic: "APP_UNINSTALLED", webhookId: "w9" };
    await expect(oncePerDelivery(t.db, meta, () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    let effects = 0;
    expect(await oncePerDelivery(t.db, meta, async () => void effects++)).toBe("done");
    expect(effects).toBe(1);
  });

  it("prunes ids past Shopify's retry window only", async () => {
    const now = new Date();
    await t.db.webhookDelivery.create({ data: { shopDomain: SHOP, topic: "X", webhookId: "old", receivedAt: new Date(now.getTime() - DELIVERY_RETENTION_MS - 1000) } });
    await t.db.webhookDelivery.create({ data: { shopDomain: SHOP, topic: "X", webhookId: "new", receivedAt: now } });
    expect(await pruneDeliveries(t.db, now)).toBe(1);
    expect((await t.db.webhookDelivery.findMany()).map((d) => d.webhookId)).toEqual(["new"]);
  });
});
