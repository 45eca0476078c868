import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStore } from "./server";
import { adminGraphql, FakeClock, offlineToken, startTestStore } from "./test-harness";

describe("query cost and throttling", () => {
  const clock = new FakeClock();
  let store: LocalStore;
  let token: string;

  beforeAll(async () => {
    store = await startTestStore({ now: clock.now, bucketSize: 1000, restoreRate: 50 });
    token = await offlineToken(store);
  });
  afterAll(() => store.close());

  it("prices queries like Shopify: connections 2 + first x node, objects 1, scalars 0", async () => {
    const simple = await adminGraphql(store, token, "{ products(first: 10) { edges { node { id title } } } }");
    expect(simple.body.extensions?.cost.requestedQueryCost).toBe(12);
    expect(simple.body.extensions?.cost.actualQueryCost).toBe(12);

    const nested = await adminGraphql(store, token, "{ products(first: 10) { nodes { id variants(first: 5) { nodes { id } } } } }");
    expect(nested.body.extensions?.cost.requestedQueryCost).toBe(2 + 10 * (1 + 2 + 5));
    // Most products have one variant, so Shopify refunds the unused part.
    expect(nested.body.extensions?.cost.actualQueryCost).toBeLessThan(82);
    expect(nested.body.extensions?.cost.actualQueryCost).toBeGreaterThanOrEqual(2 + 10 * 3);

    const mutation = await adminGraphql(store, token, 'mutation { productDelete(input: { id: "gid://shopify/Product/1" }) { deletedProductId } }');
    expect(mutation.body.extensions?.cost.requestedQueryCost).toBe(10);
  });

  it("rejects a query costing more than 1000 with MAX_COST_EXCEEDED", async () => {
    const result = await adminGraphql(store, token, "{ products(first: 250) { nodes { id media(first: 10) { nodes { id } } } } }");
    const requested = 2 + 250 * (1 + 2 + 10);
    expect(result.status).toBe(200);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(`Query cost is ${requested}, which exceeds the single query max cost limit (1000).`),
        extensions: expect.objectContaining({ code: "MAX_COST_EXCEEDED", cost: requested, maxCost: 1000 }),
      }),
    ]);
    expect(result.body.extensions?.cost).toMatchObject({ requestedQueryCost: requested, actualQueryCost: null });
  });

  it("drains the bucket, answers THROTTLED, and restores at restoreRate per second", async () => {
    clock.advance(100); // full bucket
    const query = "{ products(first: 60) { nodes { id } } }"; // costs 62, all of it actual
    const first = (await adminGraphql(store, token, query)).body.extensions!.cost;
    expect(first).toEqual({ requestedQueryCost: 62, actualQueryCost: 62, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 938, restoreRate: 50 } });
    let accepted = 1;
    for (;;) {
      const result = await adminGraphql(store, token, query);
      if (result.body.errors) {
        expect(result.status).toBe(200);
        expect(result.body).toEqual({
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
          extensions: { cost: { requestedQueryCost: 62, actualQueryCost: null, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 1000 - accepted * 62, restoreRate: 50 } } },
        });
        break;
      }
      accepted += 1;
      expect(accepted).toBeLessThanOrEqual(16);
    }
    expect(accepted).toBe(16); // 1000 - 16 x 62 = 8 left

    clock.advance(1); // 58: still short
    expect((await adminGraphql(store, token, query)).body.errors?.[0]).toMatchObject({ message: "Throttled" });
    clock.advance(1); // 108
    const recovered = await adminGraphql(store, token, query);
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.extensions!.cost.throttleStatus.currentlyAvailable).toBe(108 - 62);

    clock.advance(3600);
    const full = await adminGraphql(store, token, "{ shop { name } }");
    expect(full.body.extensions!.cost.throttleStatus.currentlyAvailable).toBe(999);
  });
});
