/**
 * The web pixel's register callback with Shopify-shaped events: only
 * products the visitor was assigned (the embed's cookie) are reported,
 * compactly, batched per client, with Shopify's event id; orders carry the
 * tested product's revenue and the order id and are sent at once.
 */
import { describe, expect, it } from "vitest";
import { pixelPayloadSchema } from "~/experiments/pixel-payload";
import { createPixel, type ShopifyEvent } from "../../extensions/image-ab-pixel/src/pixel";

function harness(cookie: string | null, settings = { shopKey: "shop_key_0123456789abcdef", endpoint: "https://app.example/api/pixel/events" }) {
  const handlers = new Map<string, (event: ShopifyEvent) => void | Promise<void>>();
  const sent: Array<{ url: string; body: unknown }> = [];
  const timers: Array<() => void> = [];
  const pixel = createPixel(
    {
      analytics: { subscribe: (name, callback) => void handlers.set(name, callback) },
      browser: { cookie: { get: async (name) => (name === "pis_ab" && cookie !== null ? cookie : "") } },
      settings,
    },
    {
      send: async (url, body) => void sent.push({ url, body: JSON.parse(body) }),
      setTimer: (callback) => void timers.push(callback),
    },
  );
  const emit = async (name: string, event: Partial<ShopifyEvent>) => handlers.get(name)?.({ id: "x", clientId: "client-1", ...event });
  const tick = async () => {
    for (const t of timers.splice(0)) t();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { emit, sent, tick, pixel, handlers };
}

const assigned = encodeURIComponent(JSON.stringify({ "exp-1": { a: "b", p: "7001" } }));

describe("image A/B web pixel", () => {
  it("subscribes to the three events", () => {
    const { handlers } = harness(assigned);
    expect([...handlers.keys()].sort()).toEqual(["checkout_completed", "product_added_to_cart", "product_viewed"]);
  });

  it("batches views and add-to-carts of the tested product; gid or numeric ids alike", async () => {
    const { emit, sent, tick } = harness(assigned);
    await emit("product_viewed", { id: "ev-1", data: { productVariant: { product: { id: "gid://shopify/Product/7001" } } } });
    await emit("product_viewed", { id: "ev-2", data: { productVariant: { product: { id: "9999" } } } });
    await emit("product_added_to_cart", { id: "ev-3", data: { cartLine: { quantity: 2, merchandise: { product: { id: 7001 } } } } });
    expect(sent).toHaveLength(0);
    await tick();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe("https://app.example/api/pixel/events");
    expect(sent[0]!.body).toEqual({
      key: "shop_key_0123456789abcdef",
      clientId: "client-1",
      events: [
        { id: "ev-1", type: "view", experimentId: "exp-1", arm: "b", productId: "7001", quantity: 1 },
        { id: "ev-3", type: "add_to_cart", experimentId: "exp-1", arm: "b", productId: "7001", quantity: 2 },
      ],
    });
    // What the pixel sends is what the endpoint accepts.
    expect(pixelPayloadSchema.safeParse(sent[0]!.body).success).toBe(true);
  });

  it("sends an order at once with the tested product's revenue and the order id", async () => {
    const { emit, sent } = harness(assigned);
    await emit("checkout_completed", {
      id: "ev-9",
      data: {
        checkout: {
          order: { id: "gid://shopify/Order/555" },
          lineItems: [
            { quantity: 2, finalLinePrice: { amount: 59.8 }, variant: { price: { amount: 29.9 }, product: { id: "7001" } } },
            { quantity: 1, finalLinePrice: { amount: 10 }, variant: { price: { amount: 10 }, product: { id: "8000" } } },
          ],
        },
      },
    });
    expect(sent).toHaveLength(1);
    expect((sent[0]!.body as { events: unknown[] }).events).toEqual([
      { id: "ev-9", type: "order", experimentId: "exp-1", arm: "b", productId: "7001", quantity: 2, revenue: 59.8, orderId: "555" },
    ]);
    expect(pixelPayloadSchema.safeParse(sent[0]!.body).success).toBe(true);
  });

  it("reports nothing without an assignment (no consent, no running test) or without settings", async () => {
    for (const h of [harness(null), harness("not json"), harness(assigned, { shopKey: "", endpoint: "" })]) {
      await h.emit("product_viewed", { id: "ev-1", data: { productVariant: { product: { id: "7001" } } } });
      await h.emit("checkout_completed", { id: "ev-2", data: { checkout: { lineItems: [{ quantity: 1, variant: { product: { id: "7001" } } }] } } });
      await h.tick();
      expect(h.sent).toEqual([]);
    }
  });
});
