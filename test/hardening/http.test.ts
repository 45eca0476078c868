import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_OPENAI_IMAGE_MODEL } from "~/providers/openai/models";
import { BROWSER_HEADERS, SHOP_A, SHOP_B, startStack, type Stack } from "../support/stack";
import { ROUTE_FIXTURES, type RouteFixture } from "./route-fixtures";
import { appRoutes, fillPattern, type AppRoute } from "./routes";

/**
 * The built app as an attacker and a browser meet it: security headers on
 * every kind of response, clear 4xx answers to malformed requests (never a
 * 500, never a hang), and no secret in any log line the app or its worker
 * writes, nor in any page it serves.
 */

const routes = appRoutes();
const kindOf = (route: AppRoute): RouteFixture["kind"] | undefined => ROUTE_FIXTURES[route.id]?.kind;
const adminActions = routes.filter((r) => kindOf(r) === "admin" && r.hasAction);
const adminLoaders = routes.filter((r) => kindOf(r) === "admin" && r.hasLoader);
const publicPosts = routes.filter((r) => (kindOf(r) === "webhook" || kindOf(r) === "public") && r.hasAction);

const OPENAI_KEY = `sk-hardening-${randomBytes(16).toString("hex")}`;
const GEMINI_KEY = `AIza-hardening-${randomBytes(16).toString("hex")}`;

describe("headers, hostile requests and secrets, against the built app", () => {
  let stack: Stack;
  const served: string[] = [];

  /** Every body the suite reads is kept, to be searched for secrets at the end. */
  async function call(path: string, init: RequestInit & { shop?: string; routeId?: string } = {}) {
    const { shop, routeId, headers, ...rest } = init;
    const url = new URL(path, stack.app.url);
    if (routeId) url.searchParams.set("_data", routeId);
    const response = await fetch(url, {
      redirect: "manual",
      signal: AbortSignal.timeout(20_000),
      ...rest,
      headers: { ...BROWSER_HEADERS, ...(shop && { Authorization: `Bearer ${stack.store.mintSessionToken(shop)}` }), ...(headers as Record<string, string>) },
    });
    const body = await response.text();
    served.push(body);
    return { status: response.status, headers: response.headers, body };
  }

  beforeAll(async () => {
    stack = await startStack({
      worker: true,
      // Keys that look real; the base URLs go nowhere, so a generation fails and is logged.
      appEnv: { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: "http://127.0.0.1:9/v1", GEMINI_API_KEY: GEMINI_KEY, GEMINI_BASE_URL: "http://127.0.0.1:9" },
    });
    for (const shop of [SHOP_A, SHOP_B]) {
      const page = await stack.openEmbedded(shop);
      expect(page.status).toBe(200);
      served.push(await page.text());
    }
  }, 120_000);
  afterAll(async () => stack?.close());

  describe("security headers", () => {
    it("embedded pages may be framed only by the shop's admin, and carry the baseline headers", async () => {
      const page = await stack.openEmbedded(SHOP_A, "/app/batches");
      served.push(await page.text());
      expect(page.status).toBe(200);
      expect(page.headers.get("content-security-policy")).toBe(`frame-ancestors https://${SHOP_A} https://admin.shopify.com;`);
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      expect(page.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(page.headers.get("permissions-policy")).toContain("camera=()");
      expect(page.headers.get("x-powered-by")).toBeNull();
    });

    it("pages outside the admin (login) may not be framed at all", async () => {
      const login = await call("/auth/login");
      expect(login.status).toBe(200);
      expect(login.headers.get("content-security-policy")).toBe("frame-ancestors 'none';");
      expect(login.headers.get("x-content-type-options")).toBe("nosniff");
    });

    it("data answers are not sniffed, cached by shared caches, or sent with a full referrer", async () => {
      const data = await call("/app/batches", { shop: SHOP_A, routeId: "routes/app.batches._index" });
      expect(data.status).toBe(200);
      expect(data.headers.get("x-content-type-options")).toBe("nosniff");
      expect(data.headers.get("cache-control")).toMatch(/private|no-store/);
      expect(data.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    });

    it("error pages carry the same headers and no internals", async () => {
      const missing = await call("/app/does-not-exist", { headers: BROWSER_HEADERS });
      expect(missing.status).toBeGreaterThanOrEqual(300);
      expect(missing.status).toBeLessThan(500);
      const unknownRoute = await call("/app?_data=routes/nope", { shop: SHOP_A });
      expect(unknownRoute.status).toBeGreaterThanOrEqual(400);
      expect(unknownRoute.status).toBeLessThan(500);
      for (const body of [missing.body, unknownRoute.body]) expect(body).not.toMatch(/at \S+ \(|node_modules|\/work\/|Error:/);
    });
  });

  describe("hostile requests get clear 4xx answers", () => {
    it.each(adminActions)("$id: wrong content types, oversized and malformed bodies", async (route) => {
      const path = fillPattern(route.pattern, Object.fromEntries(route.params.map((p) => [p, "c0000000000000000000000000"])));
      const attempts: [string, RequestInit][] = [
        ["JSON instead of a form", { body: JSON.stringify({ intent: "pause" }), headers: { "Content-Type": "application/json" } }],
        ["a multipart header on a body that is not", { body: "not multipart", headers: { "Content-Type": "multipart/form-data; boundary=xyz" } }],
        ["no body", {}],
        ["2 MB in one field", { body: new URLSearchParams({ intent: "estimate", request: "x".repeat(2 * 1024 * 1024) }) }],
        ["prototype keys and control characters", { body: new URLSearchParams({ __proto__: "x", constructor: "y", intent: "\u0000\u202e", request: "{\"__proto__\":{\"admin\":true}}" }) }],
      ];
      for (const [what, init] of attempts) {
        const answer = await call(path, { ...init, method: "POST", shop: SHOP_A, routeId: route.id });
        expect(answer.status, `${what}: ${answer.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${what}: ${answer.body.slice(0, 200)}`).toBeLessThan(500);
        expect(answer.body.length, what).toBeGreaterThan(0);
      }
    });

    it.each(adminLoaders)("$id: invalid ids and query parameters", async (route) => {
      const hostileValues = ["..%2F..%2Fetc%2Fpasswd", "%00", "x".repeat(5000), "' OR 1=1 --", "gid://shopify/Product/-1", "%F0%9F%98%80%ED%A0%80"];
      for (const value of hostileValues) {
        const params = Object.fromEntries(route.params.map((p) => [p, decodeURIComponentSafe(value)]));
        const query = new URLSearchParams({ q: decodeURIComponentSafe(value), tab: value, page: "-1", after: value, product: value, status: "NOPE" });
        const answer = await call(`${fillPattern(route.pattern, params)}?${query}`, { shop: SHOP_A, routeId: route.id });
        expect(answer.status, `${value.slice(0, 40)} → ${answer.body.slice(0, 200)}`).toBeLessThan(500);
        // 431: the URL alone is over Node's header limit, refused before the app runs.
        if (answer.status >= 400 && answer.status !== 431) expect(answer.body, value.slice(0, 40)).toMatch(/"message":"[^"]{10,}/);
      }
    });

    it.each(publicPosts)("$id: a body too large is refused before it is read, and any body without a valid signature is refused", async (route) => {
      const path = fillPattern(route.pattern, Object.fromEntries(route.params.map((p) => [p, "x"])));
      // Declares 64 MB and sends 1 KB: only a server that refuses from the header answers at all.
      expect(await declaredOnly(`${stack.app.url}${path}`, 64 * 1024 * 1024)).toBe(413);
      // A body with no declared length could be endless.
      expect(await chunkedPost(`${stack.app.url}${path}`)).toBe(411);
      for (const [contentType, body] of [
        ["text/plain", "hello"],
        ["application/json", "{not json"],
        ["application/x-www-form-urlencoded", "a=b"],
      ]) {
        const answer = await call(path, { method: "POST", body, headers: { "Content-Type": contentType! } });
        expect(answer.status, `${contentType}: ${answer.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${contentType}: ${answer.body.slice(0, 200)}`).toBeLessThan(500);
      }
    });
  });

  describe("secrets", () => {
    it("a paid generation that fails reaches the merchant as a reason, without its key", async () => {
      const product = [...stack.store.data.shop(SHOP_A).products.values()].find((p) => p.media.length > 0)!;
      const launched = await call("/app/batches/new", {
        method: "POST",
        shop: SHOP_A,
        routeId: "routes/app.batches.new",
        body: new URLSearchParams({
          intent: "launch",
          request: JSON.stringify({
            productGids: [`gid://shopify/Product/${product.id}`],
            presetIds: ["packshot-white"],
            candidatesPerProduct: 1,
            providerId: "openai",
            model: DEFAULT_OPENAI_IMAGE_MODEL,
            options: { size: "1024x1024", quality: "low", format: "png", background: "opaque", useReference: true, brandKit: false },
          }),
        }),
      });
      const batchId = /\/app\/batches\/([^/?]+)/.exec(launched.headers.get("x-remix-redirect") ?? "")?.[1];
      expect(batchId, `${launched.status} ${launched.body}`).toBeTruthy();
      // The provider is unreachable: the worker's attempt fails with a reason (then retries); its key must appear nowhere.
      let page = { status: 0, body: "" };
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline) {
        page = await call(`/app/batches/${batchId}`, { shop: SHOP_A, routeId: "routes/app.batches.$id" });
        if (/provider/i.test(page.body)) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(page.status).toBe(200);
      expect(page.body, stack.app.logs().slice(-2000)).toMatch(/provider/i);
    }, 90_000);

    it("no log line, page or answer carries the app secret, a provider key, an access token or a session token", async () => {
      const logs = stack.app.logs();
      expect(logs.length).toBeGreaterThan(0);
      const secrets: [string, string][] = [
        ["SHOPIFY_API_SECRET", stack.apiSecret],
        ["OPENAI_API_KEY", OPENAI_KEY],
        ["GEMINI_API_KEY", GEMINI_KEY],
        ...[SHOP_A, SHOP_B].flatMap((shop) => stack.store.accessTokens(shop).map((token): [string, string] => [`${shop} access token`, token])),
      ];
      expect(secrets.length).toBeGreaterThan(4);
      for (const [name, value] of secrets) {
        expect(logs.includes(value), `${name} is in the logs`).toBe(false);
        expect(served.some((body) => body.includes(value)), `${name} was served`).toBe(false);
      }
      // Session tokens are bearer credentials for a minute; Shopify puts one in the first URL.
      expect(logs, "a session token (JWT) is in the logs").not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
      expect(logs, "a request signature is in the logs").not.toMatch(/[?&]hmac=[0-9a-f]{16,}/i);
    });
  });
});

/** Status of a POST that declares `declared` bytes but sends only 1 KB; 0 when nothing answers within 5 s. */
function declaredOnly(target: string, declared: number): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest(target, { method: "POST", headers: { "Content-Type": "application/json", "Content-Length": String(declared) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", () => resolve(0));
    req.setTimeout(5_000, () => {
      req.destroy();
      resolve(0);
    });
    req.write(Buffer.alloc(1024, 0x61));
  });
}

/** Status of a chunked POST (no Content-Length) of 1 KB. */
function chunkedPost(target: string): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest(target, { method: "POST", headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", () => resolve(0));
    req.end(Buffer.alloc(1024, 0x61));
  });
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
