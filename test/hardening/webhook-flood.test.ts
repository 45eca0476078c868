import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/config/admin-api-version";
import { SHOP_A, startStack, type Stack } from "../support/stack";

/**
 * Webhook routes are public: besides the signature check, a flood of forged
 * deliveries from one address is refused before it is read, while Shopify's
 * signed deliveries are never limited (server.mjs).
 */
describe("a flood of forged webhooks", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
  });
  afterAll(async () => stack?.close());

  const payload = () => ({ id: 1, previous: ["read_products"], current: ["read_products"], updated_at: new Date().toISOString() });

  function forged() {
    return fetch(`${stack.app.url}/webhooks/app/scopes_update`, {
      method: "POST",
      body: JSON.stringify(payload()),
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "app/scopes_update",
        "X-Shopify-Hmac-Sha256": Buffer.from(randomUUID()).toString("base64"),
        "X-Shopify-Shop-Domain": SHOP_A,
        "X-Shopify-Webhook-Id": randomUUID(),
        "X-Shopify-Event-Id": randomUUID(),
        "X-Shopify-Triggered-At": new Date().toISOString(),
        "X-Shopify-API-Version": ADMIN_API_VERSION,
      },
    });
  }

  it("never limits signed deliveries, and refuses forged ones past a minute's allowance with 429 and Retry-After", async () => {
    // More signed deliveries than the forged allowance: none of them counts against it.
    for (let i = 0; i < 70; i++) {
      const result = await stack.store.deliverWebhook(SHOP_A, "app/scopes_update", payload());
      expect(result.status).toBe(200);
    }
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 70; i++) {
      const answer = await forged();
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = answer.headers.get("retry-after");
      await answer.arrayBuffer();
    }
    const unauthorized = statuses.filter((s) => s === 401).length;
    // The allowance refills while the flood runs, so a little over 60 may get through to the signature check.
    expect(unauthorized).toBeGreaterThanOrEqual(60);
    expect(unauthorized).toBeLessThan(70);
    expect(statuses.slice(-1)).toEqual([429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });
});
