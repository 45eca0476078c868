import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { ADMIN_API_VERSION } from "~/config/admin-api-version";
import { requireEnv } from "~/config/env.server";
import { db } from "~/db.server";
import { recordInstall } from "~/shops/install.server";
import { routeShopOrigins } from "~/shopify/outbound-routing.server";

const env = requireEnv();

// Must run after the adapter import above has installed the default fetch.
routeShopOrigins(env.SHOPIFY_SHOP_ORIGIN_OVERRIDES ?? new Map());

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  scopes: env.SCOPES,
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // The session storage package is typed against the default @prisma/client;
  // ours is generated elsewhere (two providers) with the same Session model.
  sessionStorage: new PrismaSessionStorage(db as never),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    afterAuth: async ({ session }) => {
      await recordInstall(db, { shop: session.shop, scopes: session.scope ?? "" });
    },
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
