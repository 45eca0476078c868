/**
 * Admin GraphQL for code that runs without a merchant's request (workers,
 * automation): the shop's offline session, stored by the app at install in the
 * Session table, drives @shopify/shopify-api's own GraphQL client. The outbound
 * routing the app process uses (SHOPIFY_SHOP_ORIGIN_OVERRIDES) is installed
 * here too, so a worker reaches the same store the app does.
 *
 * Never import it from code the app process loads (routes and what they
 * import): its Node adapter replaces the Remix adapter's, and webhook
 * validation then finds no HMAC header (forged deliveries answered 400, not 401).
 */
import "@shopify/shopify-api/adapters/node";
import { Session, shopifyApi, type ApiVersion, type GraphqlClient } from "@shopify/shopify-api";
import { ADMIN_API_VERSION } from "~/config/admin-api-version";
import type { Env } from "~/config/env.server";
import type { Db } from "~/db/client.server";
import { createAdminGraphql, type AdminGraphql, type AdminGraphqlOptions, type RawGraphql } from "./admin-graphql.server";
import { routeShopOrigins } from "./outbound-routing.server";

/** The shop has no usable offline session: it uninstalled, or never finished installing. */
export class NoOfflineSessionError extends Error {
  override name = "NoOfflineSessionError";
  constructor(readonly shop: string) {
    super(`The app has no access to ${shop} any more (it was uninstalled or never finished installing)`);
  }
}

export type OfflineAdminFactory = (shop: string) => Promise<AdminGraphql>;

let routed = false;

/** Builds Admin clients from stored offline sessions; one factory per process. */
export function createOfflineAdminFactory(env: Env, db: Db, options: AdminGraphqlOptions = {}): OfflineAdminFactory {
  if (!routed) {
    // After the node adapter import above has installed the default fetch; once per process.
    routeShopOrigins(env.SHOPIFY_SHOP_ORIGIN_OVERRIDES ?? new Map());
    routed = true;
  }
  const api = shopifyApi({
    apiKey: env.SHOPIFY_API_KEY,
    apiSecretKey: env.SHOPIFY_API_SECRET,
    apiVersion: ADMIN_API_VERSION as ApiVersion,
    scopes: env.SCOPES,
    hostName: new URL(env.SHOPIFY_APP_URL).host,
    hostScheme: new URL(env.SHOPIFY_APP_URL).protocol === "http:" ? "http" : "https",
    isEmbeddedApp: true,
    logger: { level: 0 },
  });

  return async (shop) => {
    const row = await db.session.findFirst({ where: { shop, isOnline: false }, orderBy: { expires: "desc" } });
    if (!row || (row.expires && row.expires.getTime() <= Date.now())) throw new NoOfflineSessionError(shop);
    const session = new Session({ id: row.id, shop: row.shop, state: row.state, isOnline: false, accessToken: row.accessToken, ...(row.scope ? { scope: row.scope } : {}) });
    const client = new api.clients.Graphql({ session });
    return createAdminGraphql(rawFrom(client), shop, options);
  };
}

/**
 * The factory for a job handler: a shop the app has no access to any more
 * becomes the handler's own refusal, which the queue does not retry.
 */
export function createOfflineAdminOrRefuse(env: Env, db: Db, refuse: (message: string) => Error): OfflineAdminFactory {
  const adminFor = createOfflineAdminFactory(env, db);
  return async (shop) => {
    try {
      return await adminFor(shop);
    } catch (error) {
      if (error instanceof NoOfflineSessionError) throw refuse(error.message);
      throw error;
    }
  };
}

/**
 * The library's client answers with parsed bodies; the pacing wrapper reads
 * Responses, as the Remix adapter's `admin.graphql` returns them. Errors the
 * library throws (GraphqlQueryError with the body) pass through unchanged.
 */
function rawFrom(client: GraphqlClient): RawGraphql {
  return async (query, options) => {
    const answer = await client.request(query, options?.variables ? { variables: options.variables } : {});
    return new Response(JSON.stringify({ data: answer.data, extensions: answer.extensions }), {
      headers: { "Content-Type": "application/json" },
    });
  };
}
