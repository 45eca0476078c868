import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStore } from "./server";
import { adminGraphql, exchangeToken, FakeClock, SHOP, startTestStore, TEST_APP } from "./test-harness";

describe("session tokens and token exchange", () => {
  const clock = new FakeClock(Date.now());
  let store: LocalStore;

  beforeAll(async () => {
    store = await startTestStore({ now: clock.now });
  });
  afterAll(() => store.close());

  it("mints session tokens that @shopify/shopify-api's own decoder accepts", async () => {
    const api = shopifyApi({
      apiKey: TEST_APP.apiKey,
      apiSecretKey: TEST_APP.apiSecret,
      apiVersion: ApiVersion.July26,
      hostName: "127.0.0.1",
      isEmbeddedApp: true,
      logger: { level: 0 },
    });
    const payload = await api.session.decodeSessionToken(store.mintSessionToken(SHOP, { userId: "42" }));
    expect(payload).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: TEST_APP.apiKey, sub: "42" });
    expect(payload.exp - payload.iat).toBe(60);
    await expect(api.session.decodeSessionToken(store.mintSessionToken(SHOP, { secret: "wrong" }))).rejects.toThrow(/signature/);
    await expect(api.session.decodeSessionToken(store.mintSessionToken(SHOP, { audience: "other-app" }))).rejects.toThrow(/invalid API key/);
  });

  it("exchanges a valid session token for an offline access token that works", async () => {
    const response = await exchangeToken(store, SHOP);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; scope: string };
    expect(body).toEqual({ access_token: expect.stringMatching(/^shpat_[0-9a-f]{32}$/), scope: TEST_APP.scopes });
    expect(store.accessTokens(SHOP)).toContain(body.access_token);
    expect((await adminGraphql(store, body.access_token, "{ shop { name } }")).status).toBe(200);
  });

  it("issues online tokens with the associated user, expiring in a day", async () => {
    const response = await exchangeToken(store, SHOP, store.mintSessionToken(SHOP, { userId: "77" }), true);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      access_token: expect.stringMatching(/^shpua_/),
      scope: TEST_APP.scopes,
      expires_in: 86399,
      associated_user_scope: TEST_APP.scopes,
      associated_user: expect.objectContaining({ id: 77, account_owner: true }),
    });
    clock.advance(86_400);
    expect((await adminGraphql(store, body.access_token as string, "{ shop { name } }")).status).toBe(401);
  });

  it("refuses forged, expired, foreign and not-yet-valid session tokens with invalid_subject_token", async () => {
    const cases = {
      forged: store.mintSessionToken(SHOP, { secret: "not-the-app-secret" }),
      expired: store.mintSessionToken(SHOP, { expiresInSeconds: -60 }),
      otherApp: store.mintSessionToken(SHOP, { audience: "another-api-key" }),
      otherShop: store.mintSessionToken("elsewhere.myshopify.com"),
      garbage: "not-a-jwt",
    };
    for (const [name, token] of Object.entries(cases)) {
      const response = await exchangeToken(store, SHOP, token);
      expect({ name, status: response.status }).toEqual({ name, status: 400 });
      expect(await response.json()).toEqual({ error: "invalid_subject_token", error_description: expect.any(String) });
    }
  });

  it("refuses wrong client credentials and accepts a form-encoded body", async () => {
    const form = (secret: string) =>
      fetch(`${store.shopOrigin(SHOP)}/admin/oauth/access_token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          client_id: TEST_APP.apiKey,
          client_secret: secret,
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: store.mintSessionToken(SHOP),
          subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
          requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
        }),
      });
    const wrong = await form("guess");
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "invalid_client" });
    expect((await form(TEST_APP.apiSecret)).status).toBe(200);
  });

  it("issues expiring offline tokens with a refresh token that renews them once", async () => {
    const tokenEndpoint = `${store.shopOrigin(SHOP)}/admin/oauth/access_token`;
    const post = (body: Record<string, string>) =>
      fetch(tokenEndpoint, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ client_id: TEST_APP.apiKey, client_secret: TEST_APP.apiSecret, ...body }) });
    const first = (await (
      await post({
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: store.mintSessionToken(SHOP),
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
        expiring: "1",
      })
    ).json()) as { access_token: string; expires_in: number; refresh_token: string; refresh_token_expires_in: number };
    expect(first).toMatchObject({ expires_in: 3600, refresh_token: expect.stringMatching(/^shprt_/), refresh_token_expires_in: 7776000 });

    clock.advance(3601);
    expect((await adminGraphql(store, first.access_token, "{ shop { name } }")).status).toBe(401);
    const renewed = (await (await post({ grant_type: "refresh_token", refresh_token: first.refresh_token })).json()) as { access_token: string };
    expect((await adminGraphql(store, renewed.access_token, "{ shop { name } }")).status).toBe(200);
    const reused = await post({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: "invalid_grant" });
  });
});
