/** Starting the store the way its tests need it: the small catalog, a fake clock, an issued token. */
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ADMIN_API_VERSION } from "~/config/admin-api-version";
import { createAdminGraphql, type AdminGraphql } from "~/shopify/admin-graphql.server";
import { smallCatalog } from "./fixtures/small-catalog";
import { startLocalStore, type LocalStore, type LocalStoreOptions } from "./server";

export const TEST_APP = { apiKey: "test-api-key", apiSecret: "test-api-secret", appUrl: "http://127.0.0.1:9", handle: "imagery-studio", scopes: "read_products,write_products,write_files" };
export const SHOP = "demo-store.myshopify.com";
export const FIXTURE_TOML = join(dirname(fileURLToPath(import.meta.url)), "fixtures/app.toml");

export class FakeClock {
  constructor(public ms = Date.parse("2026-08-01T12:00:00Z")) {}
  readonly now = () => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export async function startTestStore(overrides: Partial<LocalStoreOptions> = {}): Promise<LocalStore> {
  return startLocalStore({ app: TEST_APP, catalog: smallCatalog, appTomlPath: FIXTURE_TOML, ...overrides });
}

export async function exchangeToken(store: LocalStore, shop: string, subjectToken = store.mintSessionToken(shop), online = false): Promise<Response> {
  return fetch(`${store.shopOrigin(shop)}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      client_id: TEST_APP.apiKey,
      client_secret: TEST_APP.apiSecret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: subjectToken,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: `urn:shopify:params:oauth:token-type:${online ? "online" : "offline"}-access-token`,
    }),
  });
}

export async function offlineToken(store: LocalStore, shop = SHOP): Promise<string> {
  const response = await exchangeToken(store, shop);
  if (!response.ok) throw new Error(`token exchange failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface GraphqlResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] | string; extensions?: { cost: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } }; search?: unknown } };
}

export async function adminGraphql<T = Record<string, unknown>>(store: LocalStore, token: string | undefined, query: string, variables?: Record<string, unknown>, shop = SHOP): Promise<GraphqlResult<T>> {
  const response = await fetch(`${store.shopOrigin(shop)}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { "X-Shopify-Access-Token": token } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphqlResult<T>["body"] };
}

/** The app's own Admin client (pacing and retries included) talking to the local store as `shop`'s offline token. */
export async function storeAdmin(store: LocalStore, shop = SHOP): Promise<AdminGraphql> {
  const token = await offlineToken(store, shop);
  const url = `${store.shopOrigin(shop)}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
  return createAdminGraphql(
    (query, options) =>
      fetch(url, { method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token }, body: JSON.stringify({ query, variables: options?.variables }) }),
    shop,
  );
}
