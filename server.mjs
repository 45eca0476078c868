/**
 * `npm start`: the built app as remix-serve runs it (compression, immutable
 * assets, PORT/HOST, SIGTERM closes the server), plus the HTTP hardening
 * remix-serve has no hooks for, because resource routes (webhooks, the pixel
 * endpoint, images, event streams) never pass through entry.server:
 * - baseline security headers on every response a route did not set itself;
 * - a request-body limit enforced before any route reads a byte;
 * - request logs without query strings, which carry Shopify's session token
 *   (id_token), request HMACs and signed image URLs.
 *
 * Usage: node server.mjs ./build/server/index.js
 */
/* global process, console */
import http from "node:http";
import path from "node:path";
import url from "node:url";
import { Worker } from "node:worker_threads";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";

/** Far above any form, webhook or pixel batch the app takes; refused from the header, unread. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const BASELINE_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

const buildPath = process.argv[2];
if (!buildPath) {
  console.error("Usage: node server.mjs <path to build/server/index.js>");
  process.exit(1);
}
const build = await import(url.pathToFileURL(path.resolve(buildPath)).href);
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const app = express();
app.disable("x-powered-by");

app.use((req, res, next) => {
  // Filled in at the last moment, so a route's own value (e.g. an image's no-referrer) wins.
  const writeHead = res.writeHead;
  res.writeHead = function (...args) {
    for (const [name, value] of Object.entries(BASELINE_HEADERS)) if (!res.hasHeader(name)) res.setHeader(name, value);
    return writeHead.apply(this, args);
  };
  next();
});

/**
 * Deliveries with a bad signature, per client address: a flood of forged
 * webhooks is refused from the request line, unread. Signed deliveries never
 * count, so Shopify's own traffic (bursty after an outage) is never limited.
 * Behind a proxy every client shares the proxy's address; a refused genuine
 * delivery is retried by Shopify (up to 8 times over 4 hours).
 */
const FORGED_WEBHOOKS_PER_MINUTE = 60;
const forgedWebhooks = new Map();

function forgedBucket(address, now) {
  const bucket = forgedWebhooks.get(address) ?? { tokens: FORGED_WEBHOOKS_PER_MINUTE, at: now };
  bucket.tokens = Math.min(FORGED_WEBHOOKS_PER_MINUTE, bucket.tokens + ((now - bucket.at) * FORGED_WEBHOOKS_PER_MINUTE) / 60_000);
  bucket.at = now;
  return bucket;
}

app.use("/webhooks", (req, res, next) => {
  const address = req.socket.remoteAddress ?? "unknown";
  const bucket = forgedBucket(address, Date.now());
  if (bucket.tokens < 1) {
    const seconds = Math.ceil(((1 - bucket.tokens) * 60) / FORGED_WEBHOOKS_PER_MINUTE);
    res.status(429).set({ "Retry-After": String(seconds), Connection: "close" }).type("text/plain").send("Too many deliveries with an invalid signature.");
    return;
  }
  res.on("finish", () => {
    if (res.statusCode !== 401) return;
    const now = Date.now();
    // Full buckets carry no information; dropping them bounds memory under a spread-out flood.
    if (forgedWebhooks.size > 10_000) for (const key of [...forgedWebhooks.keys()]) if (forgedBucket(key, now).tokens >= FORGED_WEBHOOKS_PER_MINUTE) forgedWebhooks.delete(key);
    const current = forgedBucket(address, now);
    current.tokens -= 1;
    forgedWebhooks.set(address, current);
  });
  next();
});

/** Refused at the door, unread: [status, message], or null to go on. */
function doorRefusal(req) {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) return [413, "The request body is too large."];
  // Browsers, Shopify's webhooks and the web pixel all declare a length; an unbounded stream is refused.
  if (declared === undefined && req.headers["transfer-encoding"] !== undefined) return [411, "Send a Content-Length with the request body."];
  return null;
}

app.use((req, res, next) => {
  const refusal = doorRefusal(req);
  if (refusal) {
    res.status(refusal[0]).set("Connection", "close").type("text/plain").send(refusal[1]);
    return;
  }
  next();
});

app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

morgan.token("path", (req) => (req.originalUrl ?? req.url ?? "").split("?")[0]);
app.use(morgan(":method :path :status :res[content-length] - :response-time ms"));

app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

/**
 * The storefront pixel's endpoint takes every shopper's events: it is served
 * here, ahead of Express and Remix (several times its own cost per request),
 * with the same baseline headers. Only refusals are logged; a storefront's
 * event stream would otherwise drown the log.
 */
const PIXEL_PATH = "/api/pixel/events";
// The loader thread runs this same build; on SQLite its statements block whichever thread runs them.
const buildUrl = url.pathToFileURL(path.resolve(buildPath)).href;
const pixelEvents = build.entry.module.pixelEventsEndpoint(
  (workerData) =>
    new Worker(`import(${JSON.stringify(buildUrl)}).then((build) => build.entry.module.runJournalLoaderThread())`, { eval: true, workerData }),
);

const server = http.createServer((req, res) => {
  const target = req.url ?? "";
  if (target !== PIXEL_PATH && !target.startsWith(`${PIXEL_PATH}?`)) return app(req, res);
  for (const [name, value] of Object.entries(BASELINE_HEADERS)) res.setHeader(name, value);
  res.on("finish", () => {
    if (res.statusCode >= 400) console.info(`${req.method} ${PIXEL_PATH} ${res.statusCode}`);
  });
  const refusal = doorRefusal(req);
  if (refusal) {
    res.writeHead(refusal[0], { "Content-Type": "text/plain", Connection: "close" }).end(refusal[1]);
    return;
  }
  void pixelEvents.handle(req, res);
});

const port = Number(process.env.PORT ?? 3000);
const onListen = () => console.info(`[server] listening on ${process.env.HOST ?? "localhost"}:${port}`);
if (process.env.HOST) server.listen(port, process.env.HOST, onListen);
else server.listen(port, onListen);
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close(console.error);
    // What is journaled but not yet loaded goes into the database now rather than wait for the next process to adopt it.
    pixelEvents.shutdown().catch((error) => console.error("pixel events: loading the journal at shutdown failed; the next start loads it", error));
  });
}
