/**
 * Launching a batch through the built app (run `npm run build` first), against
 * the local Shopify store: the launch route's estimate and launch actions, the
 * batch page, its event stream, and that another shop gets 404 for all of it.
 * The app process runs no worker, so the batch stays queued here; running
 * items is covered by app/batches/*.db.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchProgress } from "~/batches/progress.server";
import { BROWSER_HEADERS, SHOP_A, SHOP_B, startStack, type Stack } from "../support/stack";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
  expect((await stack.openEmbedded(SHOP_B)).status).toBe(200);
}, 120_000);
afterAll(async () => stack?.close());

function productGids(count: number): string[] {
  return [...stack.store.data.shop(SHOP_A).products.values()].slice(0, count).map((p) => `gid://shopify/Product/${p.id}`);
}

function launchRequest(gids: string[]) {
  return {
    productGids: gids,
    presetIds: ["packshot-white"],
    candidatesPerProduct: 2,
    providerId: "studio",
    model: "studio-1",
    options: { size: "1024x1024", quality: "medium", format: "webp", background: "opaque", useReference: true, brandKit: false },
  };
}

async function post(shop: string, path: string, routeId: string, form: Record<string, string>) {
  const url = new URL(path, stack.app.url);
  url.searchParams.set("_data", routeId);
  return fetch(url, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { ...BROWSER_HEADERS, Authorization: `Bearer ${stack.store.mintSessionToken(shop)}` },
    redirect: "manual",
  });
}

describe("launching a batch from the products list", () => {
  it("shows the launch form, estimates, launches, and only the launching shop sees the batch", async () => {
    const gids = productGids(3);
    const query = gids.map((g) => `product=${encodeURIComponent(g)}`).join("&");
    const form = await stack.loadData<{ products: { id: string; title: string }[]; providers: { providerId: string; price: { kind: string } }[] }>(
      SHOP_A,
      `/app/batches/new?${query}`,
      "routes/app.batches.new",
    );
    expect(form.status).toBe(200);
    expect(form.body.products.map((p) => p.id)).toEqual(gids);
    expect(form.body.providers.map((p) => [p.providerId, p.price.kind])).toEqual([["studio", "free"]]);

    const estimate = await post(SHOP_A, "/app/batches/new", "routes/app.batches.new", { intent: "estimate", request: JSON.stringify(launchRequest(gids)) });
    expect(estimate.status).toBe(200);
    expect(await estimate.json()).toMatchObject({ ok: true, plan: { items: 6, costMicros: 0 } });

    const launched = await post(SHOP_A, "/app/batches/new", "routes/app.batches.new", { intent: "launch", request: JSON.stringify(launchRequest(gids)) });
    const target = launched.headers.get("x-remix-redirect") ?? launched.headers.get("location") ?? "";
    const batchId = /\/app\/batches\/([^/?]+)/.exec(target)?.[1];
    expect(batchId, `redirect to the batch page, got ${launched.status} ${target}`).toBeTruthy();

    const page = await stack.loadData<{ progress: BatchProgress }>(SHOP_A, `/app/batches/${batchId}`, "routes/app.batches.$id");
    expect(page.status).toBe(200);
    expect(page.body.progress).toMatchObject({ id: batchId, status: "queued", total: 6 });
    expect(page.body.progress.counts.queued).toBe(6);
    expect(page.body.progress.products.map((p) => p.productGid)).toEqual(gids);

    const events = await fetch(new URL(`/app/batches/${batchId}/events`, stack.app.url), {
      headers: { ...BROWSER_HEADERS, Authorization: `Bearer ${stack.store.mintSessionToken(SHOP_A)}` },
    });
    expect(events.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = events.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first.startsWith("data: ")).toBe(true);
    expect(JSON.parse(first.slice("data: ".length))).toMatchObject({ id: batchId, total: 6 });

    // The other shop: not on its list, not readable, not controllable, no stream.
    const list = await stack.loadData<{ batches: { id: string }[] }>(SHOP_B, "/app/batches", "routes/app.batches._index");
    expect(list.body.batches).toEqual([]);
    expect((await stack.loadData(SHOP_B, `/app/batches/${batchId}`, "routes/app.batches.$id")).status).toBe(404);
    expect((await post(SHOP_B, `/app/batches/${batchId}`, "routes/app.batches.$id", { intent: "cancel" })).status).toBe(404);
    const foreignEvents = await fetch(new URL(`/app/batches/${batchId}/events`, stack.app.url), {
      headers: { ...BROWSER_HEADERS, Authorization: `Bearer ${stack.store.mintSessionToken(SHOP_B)}` },
    });
    expect(foreignEvents.status).toBe(404);

    const mine = await stack.loadData<{ batches: { id: string; total: number }[] }>(SHOP_A, "/app/batches", "routes/app.batches._index");
    expect(mine.body.batches).toEqual([expect.objectContaining({ id: batchId, total: 6 })]);
    const canceled = await post(SHOP_A, `/app/batches/${batchId}`, "routes/app.batches.$id", { intent: "cancel" });
    expect(canceled.status).toBe(200);
  });

  it("refuses bad input with a 400 that says what is wrong", async () => {
    const bad = await post(SHOP_A, "/app/batches/new", "routes/app.batches.new", {
      intent: "launch",
      request: JSON.stringify({ ...launchRequest(["not-a-product"]), candidatesPerProduct: 99 }),
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { reasons: string[] };
    expect(body.reasons.join("\n")).toMatch(/productGids\.0: must be a Shopify product id/);
    expect(body.reasons.join("\n")).toMatch(/candidatesPerProduct: At most 10 candidates/);

    expect((await post(SHOP_A, "/app/batches/new", "routes/app.batches.new", { intent: "launch", request: "{" })).status).toBe(400);
    const unavailable = await post(SHOP_A, "/app/batches/new", "routes/app.batches.new", {
      intent: "estimate",
      request: JSON.stringify({ ...launchRequest(productGids(1)), presetIds: ["on-model-apparel"] }),
    });
    expect(await unavailable.json()).toMatchObject({ ok: false, reasons: [expect.stringMatching(/On model: apparel: Needs a provider that can show products on people/)] });
  });
});
