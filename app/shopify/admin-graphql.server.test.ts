import { describe, expect, it } from "vitest";
import { AdminApiError, createAdminGraphql, type RawGraphql } from "./admin-graphql.server";

/**
 * A fake Shopify bucket on a fake clock: charges the requested cost on
 * arrival (refusing with THROTTLED when short), refunds nothing, restores
 * `restoreRate` points per second of fake time.
 */
function fakeShopify(options: { maximum: number; restoreRate: number; cost: number }) {
  let clock = 0;
  let available = options.maximum;
  let at = 0;
  const refill = () => {
    available = Math.min(options.maximum, available + ((clock - at) / 1000) * options.restoreRate);
    at = clock;
  };
  const answers: string[] = [];
  const raw: RawGraphql = async () => {
    refill();
    const status = () => ({ maximumAvailable: options.maximum, currentlyAvailable: Math.floor(available), restoreRate: options.restoreRate });
    if (available < options.cost) {
      answers.push("THROTTLED");
      return Response.json({ errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: { cost: { requestedQueryCost: options.cost, actualQueryCost: null, throttleStatus: status() } } });
    }
    available -= options.cost;
    answers.push("ok");
    return Response.json({ data: { ok: true }, extensions: { cost: { requestedQueryCost: options.cost, actualQueryCost: options.cost, throttleStatus: status() } } });
  };
  return {
    raw,
    answers,
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
  };
}

describe("createAdminGraphql", () => {
  it("paces concurrent requests under the bucket: Shopify never has to refuse one", async () => {
    const shopify = fakeShopify({ maximum: 100, restoreRate: 10, cost: 30 });
    const admin = createAdminGraphql(shopify.raw, "pacing.myshopify.com", { sleep: shopify.sleep, now: shopify.now });
    await admin.request("query A { ok }");
    await Promise.all(Array.from({ length: 12 }, () => admin.request("query A { ok }")));
    expect(shopify.answers).toHaveLength(13);
    expect(shopify.answers.filter((a) => a === "THROTTLED")).toEqual([]);
    // 13 × 30 points from a bucket of 100 restoring 10 a second: at least 29 seconds of waiting.
    expect(shopify.now()).toBeGreaterThanOrEqual(29_000);
  });

  it("waits as throttleStatus says after a THROTTLED answer, then succeeds", async () => {
    const shopify = fakeShopify({ maximum: 100, restoreRate: 10, cost: 60 });
    // A second client (another process) drained the bucket without this one knowing.
    const other = createAdminGraphql(shopify.raw, "retry.myshopify.com", { sleep: shopify.sleep, now: shopify.now });
    await other.request("query Other { ok }");
    const admin = createAdminGraphql(shopify.raw, "retry-b.myshopify.com", { sleep: shopify.sleep, now: shopify.now });
    await expect(admin.request("query B { ok }")).resolves.toEqual({ ok: true });
    expect(shopify.answers).toEqual(["ok", "THROTTLED", "ok"]);
    expect(shopify.now()).toBe(2000);
  });

  it("gives up after its retries with the reason", async () => {
    const shopify = fakeShopify({ maximum: 100, restoreRate: 0.001, cost: 200 });
    const admin = createAdminGraphql(shopify.raw, "never.myshopify.com", { sleep: shopify.sleep, now: shopify.now, maxThrottleRetries: 2 });
    const error = await admin.request("query C { ok }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect((error as AdminApiError).code).toBe("THROTTLED");
    expect(shopify.answers).toEqual(["THROTTLED", "THROTTLED", "THROTTLED"]);
  });
});
