/**
 * `npm run bench:ingest`: the built app's pixel ingestion endpoint (server.mjs as `npm start` runs it,
 * SQLite, the real route) against a bare Node HTTP server that only parses the
 * same JSON and answers 204, each driven by a separate load-generator process
 * on loopback with the same batches. Prints events/s, p50/p99 and the ratio.
 *
 * Settings: BENCH_SECONDS (10), BENCH_CONCURRENCY requests in flight (16),
 * BENCH_BATCH events per request (10), APP_BUILD_DIR (build).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { connectDb } from "~/db/client.server";
import { freePort, startApp } from "../support/app-server";
import { createMigratedDatabase, ROOT } from "../support/databases";

const seconds = process.env.BENCH_SECONDS ?? "10";
const concurrency = process.env.BENCH_CONCURRENCY ?? "16";
const batch = process.env.BENCH_BATCH ?? "10";
const KEY = "bench_key_0123456789abcdef";
const PRODUCT = "7001";
const tsx = path.join(ROOT, "node_modules/.bin/tsx");

interface Load {
  requests: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const child = spawn(tsx, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${args[0]} exited ${code}`))));
  });
}

async function load(url: string, experimentId: string): Promise<Load> {
  const out = await run(["test/bench/ingest-load.ts", url, KEY, experimentId, PRODUCT, seconds, concurrency, batch]);
  return JSON.parse(out.split("\n").pop()!) as Load;
}

const database = await createMigratedDatabase("sqlite");
const db = await connectDb(database.url);
const shop = await db.shop.create({ data: { domain: "bench.myshopify.com" } });
await db.pixelKey.create({ data: { shopId: shop.id, key: KEY } });
const experiment = await db.experiment.create({
  data: {
    shopId: shop.id,
    productGid: `gid://shopify/Product/${PRODUCT}`,
    status: "running",
    controlImageUrl: "https://cdn.shopify.com/s/files/1/0001/files/bench.jpg",
    controlFileName: "bench",
    arms: {
      create: [
        { shopId: shop.id, key: "a", label: "Control", isControl: true, weight: 50, fileStatus: "ready" },
        { shopId: shop.id, key: "b", label: "Variant B", weight: 50, fileStatus: "ready" },
      ],
    },
  },
});

// The bare server first, in its own process.
const barePort = await freePort();
const bare = spawn(tsx, ["test/bench/ingest-bare.ts", String(barePort)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
await new Promise((resolve) => bare.stdout.once("data", resolve));
const bareResult = await load(`http://127.0.0.1:${barePort}/`, experiment.id);
bare.kill("SIGTERM");

const port = await freePort();
const app = await startApp({
  port,
  apiKey: "bench-key",
  apiSecret: "bench-secret",
  databaseUrl: database.url,
  originOverrides: "",
});
let appResult: Load;
try {
  // A short warm-up so the first requests' module loading is not measured.
  await load(`http://127.0.0.1:${port}/api/pixel/events`, experiment.id).catch(() => undefined);
  await db.experimentEvent.deleteMany({});
  await db.experimentVisitor.deleteMany({});
  await db.experimentDailyAggregate.deleteMany({});
  appResult = await load(`http://127.0.0.1:${port}/api/pixel/events`, experiment.id);
} finally {
  await app.close();
}
const stored = await db.experimentEvent.count();
const aggregated = await db.experimentDailyAggregate.aggregate({ _sum: { views: true, orders: true } });
await db.$disconnect();
await database.drop();

const row = (name: string, r: Load) =>
  `${name.padEnd(24)} ${r.eventsPerSecond.toFixed(0).padStart(8)} events/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   ${JSON.stringify(r.statuses)}`;
console.log(`pixel ingestion: ${seconds} s per server, ${concurrency} requests in flight, ${batch} events per request, SQLite`);
console.log(row("bare node http (parse)", bareResult));
console.log(row("app /api/pixel/events", appResult));
console.log(`ratio app/bare: ${((appResult.eventsPerSecond / bareResult.eventsPerSecond) * 100).toFixed(1)}% of bare throughput`);
const acknowledged = (appResult.statuses["204"] ?? 0) * Number(batch);
console.log(`acknowledged events ${acknowledged}, stored ${stored} (every acknowledged event stored: ${stored === acknowledged ? "yes" : "NO"}); aggregated views ${aggregated._sum.views ?? 0}, orders ${aggregated._sum.orders ?? 0}`);
const aims = [appResult.eventsPerSecond >= 3000, appResult.p99 < 50, appResult.eventsPerSecond >= 0.4 * bareResult.eventsPerSecond];
console.log(`aims (≥3,000 events/s, p99 < 50 ms, ≥40% of bare): ${aims.map((ok) => (ok ? "met" : "MISSED")).join(", ")}`);
