/**
 * A local stand-in for Shopify that speaks its wire formats: Admin GraphQL, the OAuth
 * token endpoint, the file CDN, webhook delivery, and an admin page embedding the app.
 * Shop-scoped endpoints live under /stores/<shop>/ so the app reaches them through
 * SHOPIFY_SHOP_ORIGIN_OVERRIDES and its real @shopify/shopify-api code path.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createExecutor, type GraphqlRequestBody } from "./admin-graphql";
import { ADMIN_API_VERSION, loadAdminSchema, repoRoot } from "./admin-schema";
import { TokenIssuer, mintSessionToken, type SessionTokenOptions } from "./auth";
import type { Catalog } from "./catalog-types";
import { Cdn } from "./cdn";
import { closeServer, listen, readBody, readParams, sendJson } from "./http";
import { resolvers } from "./resolvers";
import { seedStoreData, type StoreData } from "./state";
import { configureMedia, handleStagedUpload, stopMedia, type MediaTimings } from "./media";
import { CostBucket } from "./throttle";
import { deliverWebhook, type DeliveryOptions, type DeliveryResult } from "./webhooks";
import { changedProducts, productWebhookPayload, snapshotProducts, type ProductTopic } from "./product-events";
import type { StoredProduct } from "./state";
import { startAdminShell, type AdminShell } from "./admin-shell/shell";

export interface LocalStoreOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  app: { apiKey: string; apiSecret: string; appUrl: string; handle: string; scopes: string };
  /** Each shop gets its own copy of the seeded catalog, with ids unique across shops. */
  shops?: string[];
  bucketSize?: number;
  /** Points per second; 100 is Shopify's Standard plan. */
  restoreRate?: number;
  appTomlPath?: string;
  webhookTimeoutMs?: number;
  webhookRetryDelaysMs?: number[];
  now?: () => number;
  /** Defaults to ./catalog (the seeded demo catalog). */
  catalog?: Catalog;
  /** Port of the listener that proxies the app for the admin page; 0 (the default) picks a free one. */
  appProxyPort?: number;
  /** How long media processing and reorder jobs take (tens of milliseconds by default). */
  mediaTimings?: Partial<MediaTimings>;
  /** Fire products/create and products/update after product changes, as Shopify does (default true). */
  productWebhooks?: boolean;
}

/** What a merchant types when adding a product in the admin (harness only). */
export interface NewProductInput {
  title: string;
  descriptionHtml?: string;
  productType?: string;
  vendor?: string;
  tags?: string[];
  /** PNG bytes of photos the merchant uploads with it. */
  photos?: Buffer[];
}

export interface ProductEdit {
  title?: string;
  descriptionHtml?: string;
  addPhotos?: Buffer[];
}

export interface FiredWebhook {
  shop: string;
  topic: string;
  productId?: number;
  result: DeliveryResult | "not-subscribed";
}

export interface LocalStore {
  origin: string;
  shopOrigin(shop: string): string;
  /** The value for SHOPIFY_SHOP_ORIGIN_OVERRIDES covering every shop. */
  originOverrides(): string;
  mintSessionToken(shop: string, opts?: SessionTokenOptions): string;
  /** The page a person opens: the local admin embedding the app. */
  adminUrl(shop: string): string;
  /** Where the admin page serves the app from (a proxy to app.appUrl). */
  appProxyOrigin: string;
  deliverWebhook(shop: string, topic: string, payload: unknown, opts?: DeliveryOptions): Promise<DeliveryResult>;
  data: StoreData;
  /** The merchant adds a product in the admin: products/create fires. Returns its numeric id. */
  createProduct(shop: string, input: NewProductInput): number;
  /** The merchant edits a product in the admin: products/update fires when anything visible changed. */
  updateProduct(shop: string, productId: number, edit: ProductEdit): void;
  /** Webhooks the store fired on its own (product changes), in order, once delivered or given up. */
  firedWebhooks: FiredWebhook[];
  /** Resolves when every webhook fired so far has been delivered or given up. */
  webhooksSettled(): Promise<void>;
  /** Every Admin GraphQL answer, in order, for assertions about what the app sent. */
  graphqlLog: GraphqlLogEntry[];
  accessTokens(shop: string): string[];
  close(): Promise<void>;
}

export interface GraphqlLogEntry {
  shop: string;
  query: string;
  errorCodes: string[];
  requestedQueryCost: number | null;
}

const UNAUTHORIZED = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };
const NOT_FOUND = { errors: "Not Found" };
const GRAPHQL_PATH = /^\/stores\/([^/]+)\/admin\/api\/([^/]+)\/graphql\.json$/;
const TOKEN_PATH = /^\/stores\/([^/]+)\/admin\/oauth\/access_token$/;
/** Shopify serves any release name (YYYY-01/04/07/10) and `unstable`; this store only knows one schema. */
const VERSION_NAME = /^(\d{4}-(01|04|07|10)|unstable)$/;

export async function startLocalStore(options: LocalStoreOptions): Promise<LocalStore> {
  const now = options.now ?? Date.now;
  const shops = options.shops ?? ["demo-store.myshopify.com"];
  const catalog = options.catalog ?? (await import("./catalog"));
  const data = seedStoreData(shops, catalog);
  if (options.mediaTimings) configureMedia(data, options.mediaTimings);
  const cdn = new Cdn(data, catalog);
  const tokens = new TokenIssuer(options.app, now);
  const execute = createExecutor(await loadAdminSchema(), resolvers);
  const buckets = new Map<string, CostBucket>();
  const bucketFor = (shop: string) => {
    let bucket = buckets.get(shop);
    if (!bucket) {
      bucket = new CostBucket(options.bucketSize ?? 2000, options.restoreRate ?? 100, now);
      buckets.set(shop, bucket);
    }
    return bucket;
  };

  let origin = "";
  const graphqlLog: GraphqlLogEntry[] = [];
  let shell: AdminShell | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", origin);
    const graphql = GRAPHQL_PATH.exec(url.pathname);
    if (graphql && req.method === "POST") {
      const [, shop, version] = graphql as unknown as [string, string, string];
      if (!data.shops.has(shop) || !VERSION_NAME.test(version)) return sendJson(res, 404, NOT_FOUND);
      const headers = { "X-Shopify-API-Version": ADMIN_API_VERSION };
      const accessToken = req.headers["x-shopify-access-token"];
      if (!tokens.lookup(typeof accessToken === "string" ? accessToken : undefined, shop)) {
        await readBody(req);
        return sendJson(res, 401, UNAUTHORIZED, headers);
      }
      let body: GraphqlRequestBody;
      try {
        body = JSON.parse((await readBody(req)).toString("utf8")) as GraphqlRequestBody;
      } catch {
        return sendJson(res, 400, { errors: { query: ["Required parameter missing or invalid"] } }, headers);
      }
      const before = snapshotProducts(data.shop(shop));
      const result = await execute(body, { data, shop: data.shop(shop), origin, searchWarnings: [] }, bucketFor(shop));
      fireProductWebhooks(shop, before);
      graphqlLog.push({
        shop,
        query: typeof body.query === "string" ? body.query : "",
        errorCodes: (result.errors ?? []).map((e) => String((e as { extensions?: { code?: unknown } }).extensions?.code ?? "")),
        requestedQueryCost: (result.extensions as { cost?: { requestedQueryCost?: number } } | undefined)?.cost?.requestedQueryCost ?? null,
      });
      return sendJson(res, 200, result, headers);
    }

    const token = TOKEN_PATH.exec(url.pathname);
    if (token && req.method === "POST") {
      const shop = token[1]!;
      if (!data.shops.has(shop)) return sendJson(res, 404, NOT_FOUND);
      let params: Record<string, string>;
      try {
        params = await readParams(req);
      } catch {
        return sendJson(res, 400, { error: "invalid_request", error_description: "The request body could not be parsed." });
      }
      const answer = await tokens.handleTokenRequest(shop, params);
      return sendJson(res, answer.status, answer.body);
    }

    if (await handleStagedUpload(data, req, res, url, Date.now())) return;

    if (req.method === "GET" && cdn.matches(url.pathname)) {
      const file = await cdn.serve(url);
      if (!file) return sendJson(res, 404, NOT_FOUND);
      res.writeHead(200, { "Content-Type": file.contentType, "Content-Length": file.body.length, "Cache-Control": "public, max-age=31536000" });
      res.end(file.body);
      return;
    }

    if (shell && (await shell.handleAdminRequest(req, res, url))) return;
    sendJson(res, 404, NOT_FOUND);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: `Internal error in the local store: ${(error as Error).message}` });
      else res.destroy();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await listen(server, options.port ?? 0, host);
  origin = `http://${host}:${(server.address() as AddressInfo).port}`;

  const sessionToken = (shop: string, opts?: SessionTokenOptions) => mintSessionToken(options.app, shop, now(), opts);
  shell = await startAdminShell({ host, port: options.appProxyPort ?? 0, app: options.app, storeOrigin: () => origin, mintSessionToken: sessionToken, hasShop: (shop) => data.shops.has(shop) });

  const fired: FiredWebhook[] = [];
  const inFlight = new Set<Promise<void>>();
  const fire = (shop: string, topic: ProductTopic, product: StoredProduct) => {
    const payload = productWebhookPayload(origin, data.shop(shop), product);
    const delivery = deliverWebhook(webhookConfig, shop, topic, payload)
      .then((result) => void fired.push({ shop, topic, productId: product.id, result }))
      .catch(() => void fired.push({ shop, topic, productId: product.id, result: "not-subscribed" }))
      .finally(() => inFlight.delete(delivery));
    inFlight.add(delivery);
  };
  function fireProductWebhooks(shop: string, before: ReturnType<typeof snapshotProducts>) {
    if (options.productWebhooks === false) return;
    for (const change of changedProducts(before, data.shop(shop))) fire(shop, change.topic, change.product);
  }
  const merchantEdit = (shop: string, edit: () => void) => {
    const before = snapshotProducts(data.shop(shop));
    edit();
    fireProductWebhooks(shop, before);
  };
  const photo = (bytes: Buffer, name: string, at: string) => ({
    id: data.nextId(),
    alt: "",
    status: "READY" as const,
    createdAt: at,
    image: { id: data.nextId(), fileName: `${name}.png`, width: 1024, height: 1024, version: 1, source: { kind: "bytes" as const, bytes } },
  });

  const webhookConfig = {
    appUrl: options.app.appUrl,
    apiSecret: options.app.apiSecret,
    appTomlPath: options.appTomlPath ?? join(repoRoot, "shopify.app.toml"),
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    retryDelaysMs: options.webhookRetryDelaysMs ?? [100, 200, 400],
  };

  return {
    origin,
    appProxyOrigin: shell.origin,
    shopOrigin: (shop) => `${origin}/stores/${shop}`,
    originOverrides: () => shops.map((shop) => `${shop}=${origin}/stores/${shop}`).join(","),
    mintSessionToken: sessionToken,
    adminUrl: (shop) => shell!.adminUrl(origin, shop),
    deliverWebhook: (shop, topic, payload, opts) => deliverWebhook(webhookConfig, shop, topic, payload, opts),
    data,
    createProduct(shop, input) {
      const id = data.nextId();
      merchantEdit(shop, () => {
        const at = new Date(now()).toISOString();
        const handle = `${input.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}-${id}`;
        const variant = { id: data.nextId(), title: "Default Title", price: "10.00", sku: "", selectedOptions: [{ name: "Title", value: "Default Title" }], createdAt: at };
        data.shop(shop).products.set(id, {
          id,
          handle,
          title: input.title,
          descriptionHtml: input.descriptionHtml ?? "",
          productType: input.productType ?? "",
          vendor: input.vendor ?? data.shop(shop).name,
          tags: input.tags ?? [],
          status: "ACTIVE",
          createdAt: at,
          updatedAt: at,
          options: [{ id: data.nextId(), name: "Title", optionValues: [{ id: data.nextId(), name: "Default Title" }] }],
          variants: [variant],
          media: (input.photos ?? []).map((bytes, index) => photo(bytes, `${handle}-${index + 1}`, at)),
        });
      });
      return id;
    },
    updateProduct(shop, productId, edit) {
      merchantEdit(shop, () => {
        const product = data.shop(shop).products.get(productId);
        if (!product) throw new Error(`No product ${productId} in ${shop}`);
        const at = new Date(now()).toISOString();
        if (edit.title !== undefined) product.title = edit.title;
        if (edit.descriptionHtml !== undefined) product.descriptionHtml = edit.descriptionHtml;
        for (const bytes of edit.addPhotos ?? []) product.media.push(photo(bytes, `${product.handle}-${data.nextId()}`, at));
        product.updatedAt = at;
      });
    },
    firedWebhooks: fired,
    webhooksSettled: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    graphqlLog,
    accessTokens: (shop) => tokens.tokensFor(shop),
    close: async () => {
      stopMedia(data);
      await shell?.close();
      await closeServer(server);
    },
  };
}
