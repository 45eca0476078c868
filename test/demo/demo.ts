/**
 * `npm run demo`: the whole product on the embedded defaults (SQLite, local
 * files, the offline studio provider, the in-database job queue) against the
 * local Shopify store — no Shopify account, nothing else installed. It builds
 * the app, starts the store, the app and its worker, installs the app into
 * the store through the real token-exchange path, and prints the URL to open.
 *
 *   --check       install, load the products page once, report, and exit
 *   --walkthrough install, then run the merchant's loop through the app's HTTP
 *                 interface (launch, review, approve, publish), print each step, and exit
 *   --skip-build  reuse the existing build/
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { connectDb } from "~/db/client.server";
import { migrate } from "~/db/migrate.server";
import { ensureAdminSchema } from "../shopify-store/admin-schema";
import { runWalkthrough } from "./walkthrough";
import { startLocalStore } from "../shopify-store/server";
import { startApp } from "../support/app-server";
import { ROOT } from "../support/databases";

const args = new Set(process.argv.slice(2));
const SHOP = "demo-store.myshopify.com";
const appPort = Number(process.env.DEMO_APP_PORT ?? 3000);
const storePort = Number(process.env.DEMO_STORE_PORT ?? 4010);
const proxyPort = Number(process.env.DEMO_PROXY_PORT ?? 4011);
const databaseUrl = process.env.DATABASE_URL ?? "file:./data/app.sqlite";
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36" };

function step(message: string) {
  console.log(`demo: ${message}`);
}

async function main() {
  step("fetching Shopify's Admin API schema for the local store (first run only)");
  await ensureAdminSchema();

  if (!args.has("--skip-build")) {
    step("building the app");
    const build = spawnSync(path.join(ROOT, "node_modules/.bin/remix"), ["vite:build"], { cwd: ROOT, stdio: "inherit" });
    if (build.status !== 0) throw new Error("The build failed; see above.");
  }

  // Each demo run is a fresh install: the store below is new, so tokens from
  // an earlier run mean nothing to it.
  await migrate(databaseUrl);
  const db = await connectDb(databaseUrl);
  await db.session.deleteMany({ where: { shop: SHOP } });
  await db.$disconnect();

  // A per-run secret: the store signs session tokens with it, the app verifies them.
  const apiKey = "demo-product-imagery-studio";
  const apiSecret = randomBytes(24).toString("hex");
  const appUrl = `http://127.0.0.1:${appPort}`;
  step("starting the local Shopify store");
  const store = await startLocalStore({
    port: storePort,
    appProxyPort: proxyPort,
    shops: [SHOP],
    app: { apiKey, apiSecret, appUrl, handle: "product-imagery-studio", scopes: "read_products,write_products" },
  });
  step(`starting the app at ${appUrl} and its worker`);
  const app = await startApp({ port: appPort, apiKey, apiSecret, databaseUrl, originOverrides: store.originOverrides() }, { worker: true });

  const shutdown = async () => {
    await app.close();
    await store.close();
  };
  process.once("SIGINT", () => void shutdown().then(() => process.exit(0)));
  process.once("SIGTERM", () => void shutdown().then(() => process.exit(0)));

  step(`installing the app into ${SHOP} (token exchange, as Shopify admin does)`);
  const host = Buffer.from(`admin.shopify.com/store/${SHOP.replace(".myshopify.com", "")}`).toString("base64");
  const open = await fetch(
    `${appUrl}/app?${new URLSearchParams({ embedded: "1", shop: SHOP, host, id_token: store.mintSessionToken(SHOP) })}`,
    { headers: BROWSER },
  );
  if (open.status !== 200 || store.accessTokens(SHOP).length === 0) {
    await shutdown();
    throw new Error(`Installing failed (HTTP ${open.status}):\n${app.logs()}`);
  }

  if (args.has("--check")) {
    const response = await fetch(`${appUrl}/app?_data=routes/app._index`, {
      headers: { ...BROWSER, Authorization: `Bearer ${store.mintSessionToken(SHOP)}` },
    });
    const data = (await response.json()) as { ok: boolean; page?: { products: unknown[] } };
    await shutdown();
    if (!data.ok || !data.page?.products.length) throw new Error(`The products page came back empty: ${JSON.stringify(data)}`);
    step(`check passed: installed, and the products page lists ${data.page.products.length} products`);
    return;
  }

  if (args.has("--walkthrough")) {
    try {
      await runWalkthrough({
        appUrl,
        token: () => store.mintSessionToken(SHOP),
        headers: BROWSER,
        productMediaCount: (gid) => store.data.shop(SHOP).products.get(Number(gid.split("/").pop()))?.media.length ?? -1,
        log: (line) => step(line),
      });
    } finally {
      await shutdown();
    }
    step("walkthrough passed");
    return;
  }

  console.log(`
  Product Imagery Studio is running on the embedded defaults.

  Open the store's admin with the app inside it:
    ${store.adminUrl(SHOP)}

  Select products, choose "Generate images", pick presets and launch: the
  worker renders candidates with the offline studio provider. Then open
  Review (or "Review images" on the batch page), approve with the a key,
  and publish: the image appears on the product in the local store.

  Press Ctrl+C to stop.
`);
}

main().catch((error: unknown) => {
  console.error(`demo: ${(error as Error).message}`);
  process.exit(1);
});
