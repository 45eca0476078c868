/**
 * The public pixel endpoint of the built app: duplicates count once, forged
 * keys are refused, malformed and oversized payloads are refused before they
 * reach the database, CORS lets the pixel sandbox post.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDb, type Db } from "~/db/client.server";
import { seedRunningExperiment } from "../support/experiment-fixtures";
import { SHOP_A, startStack, type Stack } from "../support/stack";

const KEY = "itest_key_0123456789abcdef";

describe("POST /api/pixel/events", () => {
  let stack: Stack;
  let db: Db;
  let experimentId: string;
  let url: string;
  beforeAll(async () => {
    stack = await startStack();
    db = await connectDb(stack.database.url);
    url = `${stack.app.url}/api/pixel/events`;
    const { experiment } = await seedRunningExperiment(db, { domain: SHOP_A, pixelKey: KEY, productId: "42" });
    experimentId = experiment.id;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await stack?.close();
  });

  const post = (body: unknown, init: RequestInit = {}) =>
    fetch(url, { method: "POST", headers: { "Content-Type": "text/plain", Origin: "https://demo-store.myshopify.com" }, body: typeof body === "string" ? body : JSON.stringify(body), ...init });
  const view = (id: string, productId: number | string = 42) => ({ id, type: "view", experimentId, arm: "b", productId });

  it("answers 204 with CORS, and a re-sent batch is stored once", async () => {
    const body = { key: KEY, clientId: "browser-1", events: [view("e1"), view("e2", "gid://shopify/Product/42"), { ...view("e3"), type: "add_to_cart" }] };
    const first = await post(body);
    expect(first.status, stack.app.logs().slice(-3000)).toBe(204);
    expect(first.headers.get("access-control-allow-origin")).toBe("*");
    expect((await post(body)).status).toBe(204);
    // Acknowledged means journaled; the loader follows within its 50 ms interval. Wait for the events,
    // then several intervals more, so a second copy would have been loaded by the time it is counted.
    for (let waited = 0; (await db.experimentEvent.count({ where: { experimentId } })) < 3 && waited < 10_000; waited += 25) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await db.experimentEvent.count({ where: { experimentId } })).toBe(3);
    const agg = await db.experimentDailyAggregate.findFirstOrThrow({ where: { experimentId, armKey: "b" } });
    expect(agg).toMatchObject({ visitors: 1, views: 2, addToCarts: 1, addToCartVisitors: 1 });
  });

  it("answers the CORS preflight", async () => {
    const response = await fetch(url, { method: "OPTIONS", headers: { Origin: "null", "Access-Control-Request-Method": "POST" } });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("refuses a forged key with 401 and stores nothing", async () => {
    const before = await db.experimentEvent.count();
    const response = await post({ key: "forged_key_0123456789abcdef", clientId: "x", events: [view("f1")] });
    expect(response.status).toBe(401);
    expect(await db.experimentEvent.count()).toBe(before);
  });

  it("refuses malformed payloads with 400", async () => {
    expect((await post("not json")).status).toBe(400);
    expect((await post({ key: KEY, clientId: "x", events: [] })).status).toBe(400);
    expect((await post({ key: KEY, clientId: "x", events: [{ ...view("m1"), type: "purchase" }] })).status).toBe(400);
    expect((await post({ key: KEY, clientId: "x", events: [{ ...view("m2"), productId: "gid://shopify/Order/1" }] })).status).toBe(400);
    expect((await post({ key: KEY, clientId: "x", events: [view("m3")], extra: 1 })).status).toBe(400);
    expect((await fetch(url)).status).toBe(405);
  });

  it("refuses oversized payloads with 413, declared or not", async () => {
    // A client that is refused may be cut off mid-upload, so these read the answer, not the upload's end.
    const refusal = (headers: Record<string, string>, chunks: string[], end = true) =>
      new Promise<number>((resolve, reject) => {
        const request = http.request(url, { method: "POST", headers }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on("error", (error) => reject(error));
        for (const chunk of chunks) request.write(chunk);
        if (end) request.end();
      });
    // Declared too long: refused from the header, before the body is read.
    expect(await refusal({ "Content-Length": "1000000" }, ["{"], false)).toBe(413);
    // Chunked, no length: the app's server refuses it at the door (411); behind another server the route's own cap answers 413.
    expect([411, 413]).toContain(await refusal({ "Transfer-Encoding": "chunked" }, Array.from({ length: 10 }, () => "x".repeat(10_000))));
  });
});
