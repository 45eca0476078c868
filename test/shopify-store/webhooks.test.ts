import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer } from "./http";
import type { LocalStore } from "./server";
import { SHOP, startTestStore, TEST_APP } from "./test-harness";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver that verifies signatures the way an app must, answering what each test scripts. */
async function startReceiver(answer: (attempt: number) => number | "hang") {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = answer(received.length);
      if (status !== "hang") res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => closeServer(server) };
}

function hmacIsValid(received: Received, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(received.body).digest();
  const given = Buffer.from(String(received.headers["x-shopify-hmac-sha256"]), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("webhook delivery", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let store: LocalStore;
  let script: (attempt: number) => number | "hang" = () => 200;

  beforeAll(async () => {
    receiver = await startReceiver((attempt) => script(attempt));
    store = await startTestStore({ app: { ...TEST_APP, appUrl: receiver.url }, webhookTimeoutMs: 300, webhookRetryDelaysMs: [20, 40, 80] });
  });
  afterAll(async () => {
    await store.close();
    await receiver.close();
  });

  it("posts to the toml's uri with Shopify's headers and a signature the receiver can verify", async () => {
    script = () => 200;
    receiver.received.length = 0;
    const payload = { id: 123, domain: SHOP };
    const result = await store.deliverWebhook(SHOP, "app/uninstalled", payload, { webhookId: "wh-1", eventId: "ev-1", triggeredAt: "2026-08-01T00:00:00.000Z" });
    expect(result).toEqual({ status: 200, attempts: 1, delivered: true });
    const [delivery] = receiver.received;
    expect(delivery!.path).toBe("/webhooks/app/uninstalled");
    expect(JSON.parse(delivery!.body)).toEqual(payload);
    expect(delivery!.headers).toMatchObject({
      "content-type": "application/json",
      "x-shopify-topic": "app/uninstalled",
      "x-shopify-shop-domain": SHOP,
      "x-shopify-webhook-id": "wh-1",
      "x-shopify-event-id": "ev-1",
      "x-shopify-triggered-at": "2026-08-01T00:00:00.000Z",
      "x-shopify-api-version": "2026-07",
    });
    expect(hmacIsValid(delivery!, TEST_APP.apiSecret)).toBe(true);
  });

  it("routes compliance topics and enum-style topic names, and signs forged deliveries with another key", async () => {
    script = () => 200;
    receiver.received.length = 0;
    await store.deliverWebhook(SHOP, "CUSTOMERS_REDACT", { shop_domain: SHOP });
    await store.deliverWebhook(SHOP, "products/update", { id: 1 }, { forgeHmac: true });
    expect(receiver.received.map((r) => [r.path, r.headers["x-shopify-topic"]])).toEqual([
      ["/webhooks/compliance", "customers/redact"],
      ["/webhooks/products", "products/update"],
    ]);
    expect(hmacIsValid(receiver.received[0]!, TEST_APP.apiSecret)).toBe(true);
    expect(hmacIsValid(receiver.received[1]!, TEST_APP.apiSecret)).toBe(false);
    await expect(store.deliverWebhook(SHOP, "orders/create", {})).rejects.toThrow(/no webhook subscription for orders\/create/);
  });

  it("retries while the app answers non-2xx, with the same webhook id", async () => {
    script = (attempt) => (attempt < 3 ? 500 : 200);
    receiver.received.length = 0;
    const result = await store.deliverWebhook(SHOP, "app/uninstalled", {});
    expect(result).toEqual({ status: 200, attempts: 3, delivered: true });
    expect(new Set(receiver.received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);

    script = () => 503;
    receiver.received.length = 0;
    expect(await store.deliverWebhook(SHOP, "app/uninstalled", {})).toEqual({ status: 503, attempts: 4, delivered: false });
  });

  it("counts an answer slower than the timeout as failed and retries", async () => {
    script = (attempt) => (attempt === 1 ? "hang" : 200);
    receiver.received.length = 0;
    const started = Date.now();
    const result = await store.deliverWebhook(SHOP, "app/uninstalled", {});
    expect(result).toEqual({ status: 200, attempts: 2, delivered: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});
