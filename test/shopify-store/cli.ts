/**
 * Runs the local store on its own, for the demo and for running the app by hand:
 *   SHOPIFY_API_KEY=… SHOPIFY_API_SECRET=… npx tsx test/shopify-store/cli.ts --port 4010 --app-url http://localhost:3000
 * Prints the origin, the SHOPIFY_SHOP_ORIGIN_OVERRIDES value and the admin URL of each shop.
 */
import { parseArgs } from "node:util";
import { startLocalStore } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    "app-url": { type: "string", default: "http://localhost:3000" },
    "app-proxy-port": { type: "string", default: "0" },
    handle: { type: "string", default: "product-imagery-studio" },
    scopes: { type: "string", default: process.env.SCOPES ?? "read_products,write_products,write_files" },
    shop: { type: "string", multiple: true },
    "app-toml": { type: "string" },
  },
});

const apiKey = process.env.SHOPIFY_API_KEY;
const apiSecret = process.env.SHOPIFY_API_SECRET;
if (!apiKey || !apiSecret) {
  console.error("Set SHOPIFY_API_KEY and SHOPIFY_API_SECRET: the store signs session tokens and webhooks with them.");
  process.exit(1);
}

const store = await startLocalStore({
  port: Number(values.port),
  host: values.host,
  appProxyPort: Number(values["app-proxy-port"]),
  app: { apiKey, apiSecret, appUrl: values["app-url"], handle: values.handle, scopes: values.scopes },
  shops: values.shop,
  appTomlPath: values["app-toml"],
});

console.log(store.origin);
console.error(`SHOPIFY_SHOP_ORIGIN_OVERRIDES=${store.originOverrides()}`);
for (const shop of store.data.shops.keys()) console.error(`admin for ${shop}: ${store.adminUrl(shop)}`);

const stop = () => {
  store.close().then(() => process.exit(0), () => process.exit(1));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
