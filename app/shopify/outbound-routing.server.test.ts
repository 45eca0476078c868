import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeShopOrigins } from "./outbound-routing.server";

describe("routeShopOrigins", () => {
  const seen: string[] = [];
  let origin = "";
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end("ok");
  });
  const original = abstractFetch;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    setAbstractFetchFunc(globalThis.fetch);
    routeShopOrigins(new Map([["local.myshopify.com", `${origin}/stores/local.myshopify.com`]]));
  });
  afterAll(() => {
    setAbstractFetchFunc(original);
    server.close();
  });

  it("sends a listed shop's requests to its origin, path and query kept", async () => {
    const { abstractFetch: routed } = await import("@shopify/shopify-api/runtime");
    const response = await routed("https://local.myshopify.com/admin/api/2026-07/graphql.json?x=1", { method: "POST", body: "{}" });
    expect(await response.text()).toBe("ok");
    expect(seen).toEqual(["POST /stores/local.myshopify.com/admin/api/2026-07/graphql.json?x=1"]);
  });

  it("leaves other hosts alone", async () => {
    const { abstractFetch: routed } = await import("@shopify/shopify-api/runtime");
    // .invalid never resolves, so reaching the network proves it was not rerouted.
    await expect(routed("https://unlisted.invalid/admin/oauth/access_token")).rejects.toThrow();
    expect(seen).toHaveLength(1);
  });
});
