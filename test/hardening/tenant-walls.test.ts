import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchProgress } from "~/batches/progress.server";
import { ADMIN_API_VERSION } from "~/config/admin-api-version";
import { connectDb } from "~/db/client.server";
import { BROWSER_HEADERS, SHOP_A, SHOP_B, startStack, type Stack } from "../support/stack";
import { ROUTE_FIXTURES, type Ids, type RouteFixture } from "./route-fixtures";
import { appRoutes, fillPattern, routeFilesOnDisk, type AppRoute } from "./routes";
import { B_TITLE, lookalike, readShopRows, secretsOf, type ShopRows } from "./world";

/**
 * Tenant walls, proven against the built app with two installed shops.
 * Shop B gets real data (a finished batch with candidates, a custom preset,
 * a brand kit); shop A then tries every route the build knows — loaders,
 * actions, documents, streams, webhooks — with B's ids. A foreign id must
 * answer exactly like an id that names nothing, no response to A may carry
 * anything of B's it did not send itself, and B's rows must not change.
 */

const routes = appRoutes();
const fixtureOf = (route: AppRoute): RouteFixture => {
  const fixture = ROUTE_FIXTURES[route.id];
  if (!fixture) throw new Error(`${route.id} has no fixture in test/hardening/route-fixtures.ts: add one so the hardening suite attacks it`);
  return fixture;
};
const withFixture = routes.filter((r) => ROUTE_FIXTURES[r.id]);
const adminRoutes = withFixture.filter((r) => fixtureOf(r).kind === "admin");
const paramRoutes = adminRoutes.filter((r) => r.params.length > 0 && r.hasLoader);
const webhookRoutes = withFixture.filter((r) => fixtureOf(r).kind === "webhook");
const publicRoutes = withFixture.filter((r) => fixtureOf(r).kind === "public");
const authRoutes = withFixture.filter((r) => fixtureOf(r).kind === "shopify-auth");

const B_PRESET = "Bravo-only secret preset";

interface Answer {
  status: number;
  body: string;
  redirect: string | null;
}

describe("tenant walls: shop A against shop B's data, on every route", () => {
  let stack: Stack;
  let before: ShopRows;
  let secrets: string[];
  let ghostOf: (value: string) => string;
  let attackerShopId: string;

  /** Ids for one request, and the B values that request itself carried. */
  function idsFor(mode: "real" | "ghost"): { ids: Ids; sent: Set<string> } {
    const sent = new Set<string>();
    const give = (value: string) => {
      sent.add(value);
      const out = mode === "real" ? value : ghostOf(value);
      sent.add(out);
      return out;
    };
    const ids: Ids = {
      row(table, column = "id", where = () => true) {
        const value = before.tables[table]?.find(where)?.[column];
        if (typeof value !== "string") throw new Error(`Shop B has no ${table}.${column} to attack with: seed one in tenant-walls.test.ts`);
        return give(value);
      },
      productGids() {
        const gids = [...new Set((before.tables.BatchItem ?? []).map((r) => String(r.productGid)))];
        if (gids.length === 0) throw new Error("Shop B has no generated products");
        return gids.map(give);
      },
    };
    return { ids, sent };
  }

  function urlFor(route: AppRoute, ids: Ids, extraQuery: [string, string][] = []): string {
    const fixture = fixtureOf(route);
    const params = fixture.kind === "admin" && fixture.params ? fixture.params(ids) : {};
    const query = fixture.kind === "admin" && fixture.query ? fixture.query(ids) : [];
    const search = new URLSearchParams([...query, ...extraQuery]).toString();
    return `${fillPattern(route.pattern, params)}${search ? `?${search}` : ""}`;
  }

  async function read(response: Response, stream: boolean): Promise<Answer> {
    let body = "";
    if (stream && response.ok && response.body) {
      // One event is enough to know what the stream gives away.
      const reader = response.body.getReader();
      const first = await reader.read();
      body = new TextDecoder().decode(first.value ?? new Uint8Array());
      await reader.cancel();
    } else {
      body = await response.text();
    }
    return { status: response.status, body, redirect: response.headers.get("x-remix-redirect") ?? response.headers.get("location") };
  }

  async function asShop(shop: string, path: string, init: RequestInit & { routeId?: string; stream?: boolean; token?: string | null } = {}) {
    const { routeId, stream = false, token = stack.store.mintSessionToken(shop), ...rest } = init;
    const url = new URL(path, stack.app.url);
    if (routeId) url.searchParams.set("_data", routeId);
    const headers = { ...BROWSER_HEADERS, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    const response = await fetch(url, { ...rest, headers, redirect: "manual", signal: AbortSignal.timeout(20_000) });
    return read(response, stream);
  }

  /** B's values, and their ghosts, all read as one placeholder. */
  function normalise(text: string): string {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join("<B>").split(ghostOf(secret)).join("<B>");
    return out;
  }

  function expectNothingOfB(answer: Answer, sent: Set<string>, what: string) {
    // What A sent may come back to A (a search box shows its query); nothing else of B's may.
    let text = `${answer.redirect ?? ""}\n${answer.body}`;
    for (const value of [...sent].sort((a, b) => b.length - a.length)) text = text.split(value).join("<sent>");
    const leaked = secrets.filter((s) => text.includes(s));
    expect(leaked, `${what} showed shop A shop B's ${leaked.join(", ")}`).toEqual([]);
    expect(text).not.toContain(B_TITLE);
    expect(text).not.toContain(B_PRESET);
  }

  function expectSameAsMissing(real: Answer, ghost: Answer, what: string) {
    expect({ status: real.status, redirect: real.redirect && normalise(real.redirect), body: normalise(real.body) }, what).toEqual({
      status: ghost.status,
      redirect: ghost.redirect && normalise(ghost.redirect),
      body: normalise(ghost.body),
    });
  }

  beforeAll(async () => {
    stack = await startStack({ worker: true });
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
    expect((await stack.openEmbedded(SHOP_B)).status).toBe(200);

    // B's own data, made the way a merchant makes it: a finished batch launched through the app.
    const products = [...stack.store.data.shop(SHOP_B).products.values()].filter((p) => p.media.length > 0).slice(0, 2);
    products.forEach((p, i) => (p.title = `${B_TITLE} ${i + 1}`));
    const db = await connectDb(stack.database.url);
    try {
      const shopB = await db.shop.findUniqueOrThrow({ where: { domain: SHOP_B } });
      attackerShopId = (await db.shop.findUniqueOrThrow({ where: { domain: SHOP_A } })).id;
      // Settings have no screen yet; rows as the settings use case would store them.
      await db.shopPreset.create({
        data: {
          shopId: shopB.id,
          name: B_PRESET,
          definitionJson: JSON.stringify({
            name: B_PRESET,
            category: "studio",
            template: "Photograph of {product} on {scene}, {angle}, {lighting}.",
            size: "1024x1024",
            quality: "low",
            studioScene: { kind: "paper", palette: ["#e6d8c3"], light: "left", vignette: 0.1, reflection: 0 },
            scenes: ["a Bravo-only secret backdrop"],
            angles: ["front view"],
            lighting: ["soft light"],
          }),
        },
      });
      // A running A/B test of B's, and both shops' pixel keys, as the experiments screen leaves them.
      for (const shop of [shopB.id, attackerShopId]) {
        await db.pixelKey.upsert({ where: { shopId: shop }, create: { shopId: shop, key: randomBytes(24).toString("base64url") }, update: {} });
      }
      await db.experiment.create({
        data: {
          shopId: shopB.id,
          productGid: `gid://shopify/Product/${products[0]!.id}`,
          productTitle: `${B_TITLE} 1`,
          status: "running",
          controlImageUrl: "https://cdn.shopify.com/s/files/1/0000/0001/files/control.png",
          controlFileName: "control.png",
          arms: {
            create: [
              { shopId: shopB.id, key: "a", label: "Control", isControl: true, weight: 50 },
              { shopId: shopB.id, key: "b", label: "Variant", weight: 50 },
            ],
          },
        },
      });
      await db.brandKit.create({ data: { shopId: shopB.id, enabled: true, kitJson: JSON.stringify({ palette: ["#123456"], moodWords: ["Bravoesque"], avoid: [] }) } });
    } finally {
      await db.$disconnect();
    }
    const launched = await stack.postData(SHOP_B, "/app/batches/new", "routes/app.batches.new", {
      intent: "launch",
      request: JSON.stringify({
        productGids: products.map((p) => `gid://shopify/Product/${p.id}`),
        presetIds: ["packshot-white"],
        candidatesPerProduct: 1,
        providerId: "studio",
        model: "studio-1",
        options: { size: "1024x1024", quality: "low", format: "png", background: "opaque", useReference: true, brandKit: false },
      }),
    });
    const batchId = /\/app\/batches\/([^/?]+)/.exec(launched.headers.get("x-remix-redirect") ?? "")?.[1];
    expect(batchId, `${launched.status} ${await launched.text()}`).toBeTruthy();
    const deadline = Date.now() + 120_000;
    let progress: BatchProgress | undefined;
    while (Date.now() < deadline) {
      progress = (await stack.loadData<{ progress: BatchProgress }>(SHOP_B, `/app/batches/${batchId}`, "routes/app.batches.$id")).body.progress;
      if (progress.status === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(progress?.status, stack.app.logs().slice(-3000)).toBe("completed");

    before = await readShopRows(stack.database.url, SHOP_B);
    secrets = secretsOf(before, await readShopRows(stack.database.url, SHOP_A));
    const ghosts = new Map<string, string>();
    ghostOf = (value) => {
      if (!ghosts.has(value)) ghosts.set(value, lookalike(value));
      return ghosts.get(value)!;
    };
  }, 240_000);
  afterAll(async () => stack?.close());

  it("every route the build knows has a hardening fixture, and the build knows every route file", () => {
    const missing = routes.filter((r) => !ROUTE_FIXTURES[r.id]).map((r) => r.id);
    expect(missing, `Routes with no fixture in test/hardening/route-fixtures.ts: ${missing.join(", ")}`).toEqual([]);
    const stale = Object.keys(ROUTE_FIXTURES).filter((id) => !routes.some((r) => r.id === id));
    expect(stale, "Fixtures for routes that no longer exist").toEqual([]);
    expect(routeFilesOnDisk(), "app/routes has files the build does not know: rebuild (APP_BUILD_DIR)").toEqual(routes.map((r) => r.id).sort());
    expect(adminRoutes.length).toBeGreaterThanOrEqual(6);
    expect(webhookRoutes.length).toBeGreaterThanOrEqual(5);
  });

  it("shop B has data in every place the attack draws from", () => {
    for (const table of ["Batch", "BatchItem", "Candidate", "ProductCache", "ShopPreset", "BrandKit"]) {
      expect(before.tables[table]?.length ?? 0, table).toBeGreaterThan(0);
    }
    expect(secrets.length).toBeGreaterThan(10);
  });

  describe.each(adminRoutes)("$id", (route) => {
    const fixture = fixtureOf(route) as Extract<RouteFixture, { kind: "admin" }>;

    it("refuses every request without a valid session token", async () => {
      const path = urlFor(route, idsFor("real").ids);
      const forged = stack.store.mintSessionToken(SHOP_A, { secret: "not-the-app-secret" });
      if (route.hasLoader) {
        const document = await asShop(SHOP_A, path, { token: null });
        expect(document.status).toBe(302);
        expect(document.redirect).toMatch(/^\/auth\/login/);
        const data = await asShop(SHOP_A, `${path}${path.includes("?") ? "&" : "?"}shop=${SHOP_A}`, { token: null, routeId: route.id });
        expect(data.status === 401 || (data.status === 204 && Boolean(data.redirect)), `data without token: ${data.status}`).toBe(true);
        expect((await asShop(SHOP_A, path, { token: forged, routeId: route.id })).status).toBe(401);
      }
      for (const form of fixture.forms?.(idsFor("real").ids) ?? []) {
        const unsigned = await asShop(SHOP_B, path, { token: null, routeId: route.id, method: "POST", body: new URLSearchParams(form) });
        expect(unsigned.status === 401 || (unsigned.status === 204 && Boolean(unsigned.redirect)), `action without token: ${unsigned.status}`).toBe(true);
        const forgedB = stack.store.mintSessionToken(SHOP_B, { secret: "not-the-app-secret" });
        expect((await asShop(SHOP_B, path, { token: forgedB, routeId: route.id, method: "POST", body: new URLSearchParams(form) })).status).toBe(401);
      }
    });

    if (route.hasLoader) {
      it("loads for shop A with B's ids exactly as with ids that name nothing, showing nothing of B", async () => {
        const real = idsFor("real");
        const ghost = idsFor("ghost");
        const attack = await asShop(SHOP_A, urlFor(route, real.ids), { routeId: route.id, stream: fixture.stream });
        const missing = await asShop(SHOP_A, urlFor(route, ghost.ids), { routeId: route.id, stream: fixture.stream });
        expectNothingOfB(attack, real.sent, "the loader");
        expectSameAsMissing(attack, missing, "B's ids vs missing ids");
        if (route.params.length > 0) expect(attack.status).toBe(404);

        if (!fixture.stream) {
          const document = await stack.openEmbedded(SHOP_A, urlFor(route, real.ids).split("?")[0], Object.fromEntries(fixture.query?.(real.ids) ?? []));
          const page = await read(document, false);
          expectNothingOfB(page, real.sent, "the page");
          const ghostDocument = await stack.openEmbedded(SHOP_A, urlFor(route, ghost.ids).split("?")[0], Object.fromEntries(fixture.query?.(ghost.ids) ?? []));
          expect(page.status).toBe(ghostDocument.status);
          await ghostDocument.body?.cancel();
        }
      });
    }

    if (route.hasAction) {
      it("acts for shop A on B's ids exactly as on ids that name nothing, showing nothing of B", async () => {
        const forms = fixture.forms;
        expect(forms, `${route.id} has an action: give its fixture forms to attack with`).toBeDefined();
        const realForms = forms!(idsFor("real").ids);
        expect(realForms.length).toBeGreaterThan(0);
        for (const [i] of realForms.entries()) {
          const real = idsFor("real");
          const ghost = idsFor("ghost");
          const attack = await asShop(SHOP_A, urlFor(route, real.ids), { routeId: route.id, method: "POST", body: new URLSearchParams(forms!(real.ids)[i]) });
          const missing = await asShop(SHOP_A, urlFor(route, ghost.ids), { routeId: route.id, method: "POST", body: new URLSearchParams(forms!(ghost.ids)[i]) });
          expectNothingOfB(attack, real.sent, `action ${JSON.stringify(realForms[i])}`);
          expectSameAsMissing(attack, missing, `action ${JSON.stringify(realForms[i])}: B's ids vs missing ids`);
        }
      });
    }
  });

  describe.each(webhookRoutes)("$id", (route) => {
    const topic = route.pattern.replace(/^\/webhooks\//, "");
    const deliver = async (shop: string, body: string, hmac: string | null) => {
      const response = await fetch(`${stack.app.url}${route.pattern}`, {
        method: "POST",
        body,
        redirect: "manual",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": topic,
          "X-Shopify-Shop-Domain": shop,
          "X-Shopify-API-Version": ADMIN_API_VERSION,
          "X-Shopify-Webhook-Id": randomUUID(),
          "X-Shopify-Triggered-At": new Date().toISOString(),
          ...(hmac !== null && { "X-Shopify-Hmac-Sha256": hmac }),
        },
      });
      return { status: response.status, body: await response.text() };
    };
    const sign = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("base64");

    it("refuses deliveries about shop B that Shopify did not sign with the app secret", async () => {
      const body = JSON.stringify({ shop_domain: SHOP_B, domain: SHOP_B, current: ["read_products"], shop_id: 1 });
      expect((await deliver(SHOP_B, body, null)).status).toBeGreaterThanOrEqual(400);
      expect((await deliver(SHOP_B, body, sign(randomBytes(24).toString("hex"), body))).status).toBe(401);
      expect((await deliver(SHOP_B, body, sign(stack.apiSecret, `${body} `))).status).toBe(401);
      expect((await deliver(SHOP_B, body, "not base64 at all")).status).toBe(401);
      const get = await fetch(`${stack.app.url}${route.pattern}`, { redirect: "manual" });
      expect(get.status).toBeGreaterThanOrEqual(400);
      expect(get.status).toBeLessThan(500);
    });
  });

  describe.each(publicRoutes)("$id", (route) => {
    it("has its own check, and it holds against shop B's ids", async () => {
      const fixture = fixtureOf(route) as Extract<RouteFixture, { kind: "public" }>;
      await fixture.check({
        stack,
        ids: idsFor("real").ids,
        attackerShopId,
        request: (path, init) => fetch(new URL(path, stack.app.url), { ...init, redirect: "manual" }),
      });
    });
  });

  describe.each(authRoutes)("$id", (route) => {
    it("holds no shop data and redirects only inside the app or to the shop's own admin", async () => {
      const path = fillPattern(route.pattern, { "*": "login" });
      for (const query of ["", `?shop=${SHOP_B}`, "?shop=evil.example.com", `?shop=${SHOP_B}&host=ZXZpbC5leGFtcGxlLmNvbQ`]) {
        const response = await fetch(`${stack.app.url}${path}${query}`, { headers: BROWSER_HEADERS, redirect: "manual" });
        const answer = await read(response, false);
        expect(answer.status, `${path}${query}`).toBeLessThan(500);
        expectNothingOfB(answer, new Set(), `${path}${query}`);
        if (answer.redirect && /^https?:/.test(answer.redirect)) {
          const host = new URL(answer.redirect).host;
          expect([new URL(stack.app.url).host, SHOP_A, SHOP_B, "admin.shopify.com"], `${path}${query} redirects to ${answer.redirect}`).toContain(host);
        }
      }
    });
  });

  it("changed nothing of shop B's", async () => {
    const after = await readShopRows(stack.database.url, SHOP_B);
    expect(after).toEqual(before);
  });

  it("logged none of the secrets the attacks above handled", () => {
    const logs = stack.app.logs();
    for (const secret of [stack.apiSecret, ...[SHOP_A, SHOP_B].flatMap((shop) => stack.store.accessTokens(shop))]) {
      expect(logs.includes(secret), "a secret or access token is in the app's or worker's log").toBe(false);
    }
    expect(logs, "a session token is in the logs").not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/);
  });

  it("shop B's own ids do load for B (the attacks above used real rows)", async () => {
    for (const route of paramRoutes) {
      const fixture = fixtureOf(route) as Extract<RouteFixture, { kind: "admin" }>;
      const own = await asShop(SHOP_B, urlFor(route, idsFor("real").ids), { routeId: route.id, stream: fixture.stream });
      expect(own.status, `${route.id}: ${own.body.slice(0, 300)}`).toBe(200);
    }
  });
});
