/**
 * The whole thing as a merchant meets it: the local store, the built app
 * running against it on a fresh test database, and the helpers to act as
 * Shopify admin would (session tokens, embedded document loads, data loads).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { startLocalStore, type LocalStore, type LocalStoreOptions } from "../shopify-store/server";
import { freePort, startApp, type RunningApp } from "./app-server";
import { createMigratedDatabase, TMP, type TestDatabase } from "./databases";

export const SHOP_A = "demo-store.myshopify.com";
export const SHOP_B = "other-store.myshopify.com";
/** The library answers bots (Node's default user agent included) with 410, as it should. */
export const BROWSER_HEADERS = {
  "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
};

export interface Stack {
  store: LocalStore;
  app: RunningApp;
  database: TestDatabase;
  apiKey: string;
  apiSecret: string;
  /** Loads an embedded page the way Shopify admin opens it (id_token in the URL). */
  openEmbedded(shop: string, path?: string, params?: Record<string, string>): Promise<Response>;
  /** A Remix data request with the session token App Bridge would add. */
  loadData<T>(shop: string, path: string, routeId: string): Promise<{ status: number; body: T }>;
  /** A Remix action request (form post) with the session token. */
  postData(shop: string, path: string, routeId: string, form: Record<string, string>): Promise<Response>;
  /** Where this stack's app stores images (local storage driver). */
  storageDir: string;
  close(): Promise<void>;
}

export interface StackOptions extends Partial<Omit<LocalStoreOptions, "app">> {
  /** Also run `npm run worker` beside the app. */
  worker?: boolean;
  /** Extra environment for the app and worker (e.g. provider keys). */
  appEnv?: Record<string, string>;
}

export async function startStack({ worker = false, appEnv = {}, ...options }: StackOptions = {}): Promise<Stack> {
  const apiKey = `test-key-${randomBytes(4).toString("hex")}`;
  const apiSecret = randomBytes(24).toString("hex");
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const store = await startLocalStore({
    shops: [SHOP_A, SHOP_B],
    ...options,
    app: { apiKey, apiSecret, appUrl, handle: "product-imagery-studio", scopes: "read_products,write_products" },
  });
  const database = await createMigratedDatabase();
  mkdirSync(TMP, { recursive: true });
  const storageDir = mkdtempSync(path.join(TMP, "storage-"));
  let app: RunningApp;
  try {
    app = await startApp(
      {
        port,
        apiKey,
        apiSecret,
        databaseUrl: database.url,
        originOverrides: store.originOverrides(),
        extra: { STORAGE_DIR: storageDir, JOB_LEASE_MS: "5000", ...appEnv },
      },
      { worker },
    );
  } catch (error) {
    await store.close();
    await database.drop();
    throw error;
  }
  const hostParam = (shop: string) => Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64");

  return {
    store,
    app,
    database,
    apiKey,
    apiSecret,
    async openEmbedded(shop, path = "/app", params = {}) {
      const url = new URL(path, app.url);
      url.search = new URLSearchParams({ embedded: "1", shop, host: hostParam(shop), id_token: store.mintSessionToken(shop), ...params }).toString();
      const response = await fetch(url, { headers: BROWSER_HEADERS, redirect: "manual" });
      // A server error's cause is in the app's output; the status alone says nothing in a CI log.
      if (response.status >= 500) console.error(`openEmbedded ${shop} ${path} answered ${response.status}; the app's last output:\n${app.logs().slice(-6000)}`);
      return response;
    },
    async loadData<T>(shop: string, path: string, routeId: string) {
      const url = new URL(path, app.url);
      url.searchParams.set("_data", routeId);
      const response = await fetch(url, { headers: { ...BROWSER_HEADERS, Authorization: `Bearer ${store.mintSessionToken(shop)}` }, redirect: "manual" });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: keep the text so the assertion shows what came back.
      }
      return { status: response.status, body: body as T };
    },
    async postData(shop, path, routeId, form) {
      const url = new URL(path, app.url);
      url.searchParams.set("_data", routeId);
      return fetch(url, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { ...BROWSER_HEADERS, Authorization: `Bearer ${store.mintSessionToken(shop)}` },
        redirect: "manual",
      });
    },
    storageDir,
    async close() {
      await app.close();
      await store.close();
      await database.drop();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
