/**
 * `npm run bench:ingest`: the built app's pixel ingestion endpoint (server.mjs as `npm start` runs it,
 * SQLite, 20 shops posting) against a bare Node HTTP server that only parses the
 * same JSON and answers 204, each driven by a separate load-generator process
 * on loopback with the same batches. Prints events/s, p50/p99 and the ratio,
 * then how long the journal loader took to put every acknowledged event in the database.
 *
 * Settings: BENCH_SECONDS (10), BENCH_CONCURRENCY requests in flight (16),
 * BENCH_BATCH events per request (10), APP_BUILD_DIR (build).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { connectDb } from "~/db/client.server";
import { freePort, startApp } from "../support/app-server";
import { createMigratedDatabase, ROOT, TMP } from "../support/databases";
import { seedRunningExperiment } from "../support/experiment-fixtures";

const seconds = process.env.BENCH_SECONDS ?? "10";
const concurrency = process.env.BENCH_CONCURRENCY ?? "16";
const batch = process.env.BENCH_BATCH ?? "10";
const SHOPS = 20;
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

async function load(url: string, forSeconds = seconds): Promise<Load> {
  const out = await run(["test/bench/ingest-load.ts", url, JSON.stringify(targets), PRODUCT, forSeconds, concurrency, batch]);
  return JSON.parse(out.split("\n").pop()!) as Load;
}

const database = await createMigratedDatabase("sqlite");
const db = await connectDb(database.url);
/** A storefront peak across many shops: one shop alone is held to its own rate limit (5,000 events/s). */
const targets: Array<[string, string]> = [];
for (let i = 0; i < SHOPS; i++) {
  const key = `bench_key_${String(i).padStart(4, "0")}_0123456789abcdef`;
  const { experiment } = await seedRunningExperiment(db, { domain: `bench-${i}.myshopify.com`, pixelKey: key, productId: PRODUCT });
  targets.push([key, experiment.id]);
}

/** A baseline server in its own process, loaded the same way. */
async function baseline(extraArgs: string[]): Promise<Load> {
  const barePort = await freePort();
  const bare = spawn(tsx, ["test/bench/ingest-bare.ts", String(barePort), ...extraArgs], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((resolve) => bare.stdout.once("data", resolve));
  try {
    return await load(`http://127.0.0.1:${barePort}/`);
  } finally {
    bare.kill("SIGTERM");
  }
}
const bareResult = await baseline([]);
const durableDir = mkdtempSync(path.join(TMP, "bench-durable-"));
const durableResult = await baseline([path.join(durableDir, "journal")]);
rmSync(durableDir, { recursive: true, force: true });

const port = await freePort();
const journalDir = mkdtempSync(path.join(TMP, "bench-journal-"));
const app = await startApp({
  port,
  apiKey: "bench-key",
  apiSecret: "bench-secret",
  databaseUrl: database.url,
  originOverrides: "",
  extra: { INGEST_JOURNAL_DIR: journalDir },
});
const endpoint = `http://127.0.0.1:${port}/api/pixel/events`;
const acknowledgedBy = (r: Load) => (r.statuses["204"] ?? 0) * Number(batch);

/** Waits until the database holds `events` events (the journal loader caught up); returns the seconds it took. */
async function caughtUp(events: number): Promise<number> {
  const started = performance.now();
  while ((await db.experimentEvent.count()) < events) {
    if (performance.now() - started > 600_000) throw new Error(`the loader did not catch up with ${events} events in 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (performance.now() - started) / 1000;
}

let appResult: Load;
let catchUpSeconds: number;
try {
  // A short warm-up so the first requests' module loading is not measured; then a clean slate.
  const warm = await load(endpoint, "2");
  await caughtUp(acknowledgedBy(warm));
  await db.experimentEvent.deleteMany({});
  await db.experimentVisitor.deleteMany({});
  await db.experimentDailyAggregate.deleteMany({});
  appResult = await load(endpoint);
  catchUpSeconds = await caughtUp(acknowledgedBy(appResult));
} finally {
  await app.close();
  rmSync(journalDir, { recursive: true, force: true });
}
const stored = await db.experimentEvent.count();
const aggregated = await db.experimentDailyAggregate.aggregate({ _sum: { views: true, orders: true } });
await db.$disconnect();
await database.drop();

const row = (name: string, r: Load) =>
  `${name.padEnd(24)} ${r.eventsPerSecond.toFixed(0).padStart(8)} events/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   ${JSON.stringify(r.statuses)}`;
console.log(`pixel ingestion: ${seconds} s per server, ${concurrency} requests in flight, ${batch} events per request, SQLite`);
console.log(row("bare node http (parse)", bareResult));
console.log(row("bare + fdatasync per ack", durableResult));
console.log(row("app /api/pixel/events", appResult));
console.log(`ratio app/bare: ${((appResult.eventsPerSecond / bareResult.eventsPerSecond) * 100).toFixed(1)}% of bare throughput`);
console.log(
  `ratio app/(bare + fdatasync): ${((appResult.eventsPerSecond / durableResult.eventsPerSecond) * 100).toFixed(1)}% ` +
    "(what acknowledging only events on disk costs; the app does that, the bare server does not)",
);
const acknowledged = acknowledgedBy(appResult);
console.log(`acknowledged events ${acknowledged}, stored ${stored} (every acknowledged event stored: ${stored === acknowledged ? "yes" : "NO"}); aggregated views ${aggregated._sum.views ?? 0}, orders ${aggregated._sum.orders ?? 0}`);
console.log(
  `journal → SQLite: in the database ${catchUpSeconds.toFixed(1)} s after the peak ended; ` +
    `loading sustained ${(stored / (Number(seconds) + catchUpSeconds)).toFixed(0)} events/s over the peak and its catch-up`,
);
const aims = [appResult.eventsPerSecond >= 3000, appResult.p99 < 50, appResult.eventsPerSecond >= 0.4 * bareResult.eventsPerSecond];
console.log(`aims (≥3,000 events/s, p99 < 50 ms, ≥40% of bare): ${aims.map((ok) => (ok ? "met" : "MISSED")).join(", ")}`);
