import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/databases";
import { BROWSER_HEADERS, SHOP_A, startStack, type Stack } from "../support/stack";

/**
 * Every route module under /app, found from the files themselves so a new
 * route is covered without being listed here. Remix flat-route names map to
 * URLs: dots are slashes, `$param` is any value, `_index` is the parent.
 */
function appRoutes(): { id: string; url: string }[] {
  return readdirSync(path.join(ROOT, "app/routes"))
    .filter((file) => file.startsWith("app") && !file.includes(".test."))
    .map((file) => {
      const name = file.replace(/\/route\.tsx?$|\.tsx?$/, "").replace(/\/$/, "");
      const segments = name
        .split(".")
        .filter((s) => s !== "_index")
        .map((s) => (s.startsWith("$") ? "gid-123" : s));
      return { id: `routes/${name}`, url: `/${segments.join("/")}` };
    });
}

describe("every route under /app refuses requests without a valid session", () => {
  let stack: Stack;
  const routes = appRoutes();
  beforeAll(async () => {
    stack = await startStack();
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
  });
  afterAll(async () => stack?.close());

  it("finds the app's routes", () => {
    expect(routes.map((r) => r.id)).toEqual(expect.arrayContaining(["routes/app", "routes/app._index"]));
  });

  it.each(routes)("$id: no shop, no token → sent to log in, no data", async ({ url }) => {
    const response = await fetch(`${stack.app.url}${url}`, { headers: BROWSER_HEADERS, redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/auth\/login/);
  });

  it.each(routes)("$id: a data request without a bearer token gets no data", async ({ url, id }) => {
    const response = await fetch(`${stack.app.url}${url}?_data=${encodeURIComponent(id)}&shop=${SHOP_A}`, {
      headers: BROWSER_HEADERS,
      redirect: "manual",
    });
    // Remix turns a redirect answer to a data request into 204 + X-Remix-Redirect.
    const redirected = response.status === 204 && Boolean(response.headers.get("x-remix-redirect"));
    expect(redirected || response.status === 401, `status ${response.status}`).toBe(true);
    expect(await response.text()).not.toContain("gid://shopify/Product");
  });

  it.each(routes)("$id: a document request with a forged id_token is refused", async ({ url }) => {
    const forged = stack.store.mintSessionToken(SHOP_A, { secret: "forged" });
    const query = new URLSearchParams({ embedded: "1", shop: SHOP_A, host: "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtby1zdG9yZQ", id_token: forged });
    const response = await fetch(`${stack.app.url}${url}?${query}`, { headers: BROWSER_HEADERS, redirect: "manual" });
    expect(response.status).not.toBe(200);
    expect(await response.text()).not.toContain("gid://shopify/Product");
  });
});
