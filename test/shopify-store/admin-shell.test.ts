import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer } from "./http";
import type { LocalStore } from "./server";
import { SHOP, startTestStore, TEST_APP } from "./test-harness";

/** Stands in for the Remix app: the headers and script tag shopify-app-remix really emits. */
async function startFakeApp(): Promise<{ url: string; close: () => Promise<void>; seenHosts: string[] }> {
  const seenHosts: string[] = [];
  const server: Server = createServer((req, res) => {
    seenHosts.push(req.headers.host ?? "");
    if (req.url?.startsWith("/redirect")) {
      res.writeHead(302, { Location: `${url}/app?moved=1` }).end();
      return;
    }
    res.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": `frame-ancestors https://${SHOP} https://admin.shopify.com https://*.spin.dev;`,
    });
    res.end(`<html><head><script src="https://cdn.shopify.com/shopifycloud/app-bridge.js" data-api-key="${TEST_APP.apiKey}"></script></head><body>${req.url}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seenHosts, close: () => closeServer(server) };
}

describe("local admin shell", () => {
  let app: Awaited<ReturnType<typeof startFakeApp>>;
  let store: LocalStore;

  beforeAll(async () => {
    app = await startFakeApp();
    store = await startTestStore({ app: { ...TEST_APP, appUrl: app.url } });
  });
  afterAll(async () => {
    await store.close();
    await app.close();
  });

  it("serves an admin page that frames the app the way Shopify admin opens it", async () => {
    expect(store.adminUrl(SHOP)).toBe(`${store.origin}/store/demo-store/apps/${TEST_APP.handle}`);
    const html = await (await fetch(store.adminUrl(SHOP))).text();
    const src = /<iframe[^>]* src="([^"]+)"/.exec(html)?.[1]?.replaceAll("&#38;", "&");
    const entry = new URL(src!);
    expect(entry.origin).toBe(store.appProxyOrigin);
    expect(entry.pathname).toBe("/app");
    expect(entry.searchParams.get("embedded")).toBe("1");
    expect(entry.searchParams.get("shop")).toBe(SHOP);
    expect(Buffer.from(entry.searchParams.get("host")!, "base64").toString()).toBe("admin.shopify.com/store/demo-store");
    expect(entry.searchParams.get("id_token")!.split(".")).toHaveLength(3);
    expect((await fetch(`${store.origin}/store/unknown-store/apps/${TEST_APP.handle}`)).status).toBe(404);
  });

  it("proxies the app, swapping the CDN App Bridge for the local shim and letting the store origin frame it", async () => {
    const response = await fetch(`${store.appProxyOrigin}/app?shop=${SHOP}`);
    const html = await response.text();
    expect(html).toContain('<script src="/__local-store/app-bridge.js"');
    expect(html).not.toContain("cdn.shopify.com");
    expect(html).toContain(`/app?shop=${SHOP}`);
    expect(response.headers.get("content-security-policy")).toBe(`frame-ancestors ${store.origin};`);

    const redirect = await fetch(`${store.appProxyOrigin}/redirect`, { redirect: "manual" });
    expect(redirect.headers.get("location")).toBe(`${store.appProxyOrigin}/app?moved=1`);
  });

  it("serves the shim and fresh session tokens for it", async () => {
    const shim = await (await fetch(`${store.appProxyOrigin}/__local-store/app-bridge.js`)).text();
    expect(shim).toContain(JSON.stringify({ appUrl: app.url, tokenPath: "/__local-store/session-token" }));
    expect(() => new Function(shim)).not.toThrow();

    const { token } = (await (await fetch(`${store.appProxyOrigin}/__local-store/session-token?shop=${SHOP}`)).json()) as { token: string };
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ dest: `https://${SHOP}`, aud: TEST_APP.apiKey });
    expect((await fetch(`${store.appProxyOrigin}/__local-store/session-token?shop=nope.myshopify.com`)).status).toBe(404);
  });
});
