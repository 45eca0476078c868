/**
 * The part of Shopify admin a person sees around an embedded app: a page on the store
 * origin that iframes the app, and a second listener that reverse-proxies the app so
 * its pages can load a local App Bridge instead of the unreachable Shopify CDN one.
 */
import { readFile } from "node:fs/promises";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { closeServer, listen, send, sendJson } from "../http";

const APP_BRIDGE_CDN_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
const SHIM_PATH = "/__local-store/app-bridge.js";
const TOKEN_PATH = "/__local-store/session-token";
const ADMIN_PATH = /^\/store\/([a-z0-9-]+)\/apps\/([^/]+)\/?$/;

export interface AdminShellOptions {
  host: string;
  port: number;
  app: { apiKey: string; appUrl: string; handle: string };
  storeOrigin: () => string;
  mintSessionToken: (shop: string) => string;
  hasShop: (shop: string) => boolean;
}

export interface AdminShell {
  /** Origin of the app proxy, where the iframe points. */
  origin: string;
  adminUrl(storeOrigin: string, shop: string): string;
  /** Serves the admin page on the store listener; false when the request is not for it. */
  handleAdminRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  close(): Promise<void>;
}

export async function startAdminShell(options: AdminShellOptions): Promise<AdminShell> {
  const shimSource = await readFile(join(dirname(fileURLToPath(import.meta.url)), "app-bridge-shim.js"), "utf8");
  const appUrl = new URL(options.app.appUrl);
  let proxyOrigin = "";

  const shim = () =>
    shimSource.replace("const config = __LOCAL_STORE_CONFIG__;", `const config = ${JSON.stringify({ appUrl: appUrl.origin, tokenPath: TOKEN_PATH })};`);

  const proxy = createServer((req, res) => {
    const url = new URL(req.url ?? "/", proxyOrigin);
    if (url.pathname === SHIM_PATH) return send(res, 200, shim(), "text/javascript; charset=utf-8", { "Cache-Control": "no-store" });
    if (url.pathname === TOKEN_PATH) {
      const shop = url.searchParams.get("shop") ?? "";
      if (!options.hasShop(shop)) return sendJson(res, 404, { error: `Unknown shop ${shop}` });
      return sendJson(res, 200, { token: options.mintSessionToken(shop) }, { "Cache-Control": "no-store" });
    }
    forwardToApp(req, res, appUrl, proxyOrigin, options.storeOrigin());
  });
  await listen(proxy, options.port, options.host);
  proxyOrigin = `http://${options.host}:${(proxy.address() as AddressInfo).port}`;

  return {
    origin: proxyOrigin,
    adminUrl: (storeOrigin, shop) => `${storeOrigin}/store/${shop.replace(/\.myshopify\.com$/, "")}/apps/${options.app.handle}`,
    async handleAdminRequest(req, res, url) {
      const match = ADMIN_PATH.exec(url.pathname);
      if (req.method !== "GET" || !match || match[2] !== options.app.handle) return false;
      const storeName = match[1]!;
      const shop = `${storeName}.myshopify.com`;
      if (!options.hasShop(shop)) return false;
      const appEntry = new URL("/app", proxyOrigin);
      appEntry.search = new URLSearchParams({
        embedded: "1",
        shop,
        host: Buffer.from(`admin.shopify.com/store/${storeName}`).toString("base64").replace(/=+$/, ""),
        locale: "en",
        id_token: options.mintSessionToken(shop),
      }).toString();
      send(res, 200, adminPage(shop, appEntry.toString()), "text/html; charset=utf-8", { "Cache-Control": "no-store" });
      return true;
    },
    close: () => closeServer(proxy),
  };
}

function forwardToApp(req: IncomingMessage, res: ServerResponse, appUrl: URL, proxyOrigin: string, storeOrigin: string): void {
  const headers = { ...req.headers };
  // Uncompressed answers, so HTML can be rewritten.
  delete headers["accept-encoding"];
  headers["x-forwarded-host"] = new URL(proxyOrigin).host;
  const upstream = httpRequest(
    { protocol: appUrl.protocol, hostname: appUrl.hostname, port: appUrl.port, method: req.method, path: req.url, headers },
    (answer) => {
      const responseHeaders = { ...answer.headers };
      if (typeof responseHeaders.location === "string") {
        responseHeaders.location = responseHeaders.location.replace(appUrl.origin, proxyOrigin);
      }
      // The app only lets Shopify admin frame it; here the admin is the store origin.
      const csp = responseHeaders["content-security-policy"];
      if (typeof csp === "string") {
        responseHeaders["content-security-policy"] = csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${storeOrigin}`);
      }
      if (!(answer.headers["content-type"] ?? "").includes("text/html")) {
        res.writeHead(answer.statusCode ?? 502, responseHeaders);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => {
        const html = Buffer.concat(chunks).toString("utf8").replaceAll(APP_BRIDGE_CDN_URL, SHIM_PATH);
        delete responseHeaders["transfer-encoding"];
        responseHeaders["content-length"] = String(Buffer.byteLength(html));
        res.writeHead(answer.statusCode ?? 502, responseHeaders);
        res.end(html);
      });
    },
  );
  upstream.on("error", (error) => {
    if (!res.headersSent) send(res, 502, `The app at ${appUrl.origin} did not answer: ${error.message}`, "text/plain; charset=utf-8");
    else res.destroy();
  });
  req.pipe(upstream);
}

function adminPage(shop: string, appSrc: string): string {
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(shop)} · Local Shopify admin</title>
<style>
  html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; background: #f1f1f1; }
  header { height: 48px; display: flex; align-items: center; padding: 0 16px; background: #1a1a1a; color: #e3e3e3; font-size: 14px; gap: 12px; }
  header strong { color: #fff; }
  iframe { border: 0; width: 100%; height: calc(100% - 48px); display: block; background: #fff; }
</style>
</head>
<body>
<header><strong>Local Shopify admin</strong><span>${escape(shop)}</span></header>
<iframe id="app-iframe" name="app-iframe" title="App" src="${escape(appSrc)}"></iframe>
</body>
</html>`;
}
