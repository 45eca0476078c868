/**
 * The job system against a provider account limited to R images a minute:
 * real worker processes (`npm run worker`'s entry point) on each engine,
 * embedded (SQLite) and BullMQ (Redis), draining one batch. Run:
 * npx tsx test/bench/jobs.bench.ts  (needs Redis at REDIS_URL for BullMQ)
 *
 * Settings (environment): BENCH_ITEMS (1000), BENCH_RATE images/min (250: the top of the 5–250 account tiers),
 * BENCH_LATENCY_MS "min-max" (500-1500), BENCH_429 and BENCH_500 chances per
 * request (0.01 each), BENCH_WORKERS processes (2), BENCH_CONCURRENCY per
 * process (16), BENCH_SCALE (10) and BENCH_SCALE_RATE (6000) for the second,
 * larger run, BENCH_ENGINES ("embedded,bullmq").
 *
 * Both rate buckets (the workers' shared one and the server's) start empty,
 * so throughput is the steady rate, not inflated by a first-minute burst.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { createBatch } from "~/batches/create-batch.server";
import { parseEnv } from "~/config/env.server";
import { connectDb } from "~/db/client.server";
import { migrate } from "~/db/migrate.server";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { createProviderRegistry } from "~/providers/registry.server";
import { createQueue, createRateLimiter } from "~/queue/engine.server";
import { batchRequest, seedProducts, seedShop, startPhotoServer } from "../batches/fixtures";
import { startBenchProvider } from "./rate-limited-provider";

const API_KEY = "sk-bench-local";
const CANDIDATES = 10;

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
}

const [latencyMin, latencyMax] = (process.env.BENCH_LATENCY_MS ?? "500-1500").split("-").map(Number) as [number, number];
const settings = {
  items: setting("BENCH_ITEMS", 1000),
  rate: setting("BENCH_RATE", 250),
  latencyMs: { min: latencyMin, max: latencyMax ?? latencyMin },
  injected429: setting("BENCH_429", 0.01),
  injected500: setting("BENCH_500", 0.01),
  workers: setting("BENCH_WORKERS", 2),
  concurrency: setting("BENCH_CONCURRENCY", 16),
  scale: setting("BENCH_SCALE", 10),
  scaleRate: setting("BENCH_SCALE_RATE", 6000),
  engines: (process.env.BENCH_ENGINES ?? "embedded,bullmq").split(",") as ("embedded" | "bullmq")[],
};

interface RunResult {
  items: number;
  rate: number;
  seconds: number;
  perMinute: number;
  ok: number;
  failed: number;
  provoked429: number;
  injected429: number;
  injected500: number;
  peakRssMb: number[];
  /** The worker processes' CPU time (user + system) per finished item. */
  cpuMsPerItem: number;
}

/** Peak resident set of a live process, from the kernel's high-water mark. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** User + system CPU time of a live process so far, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  // Node itself, not the tsx CLI, so the pid is the worker's own process.
  const child = spawn(process.execPath, ["--import", "tsx", "app/queue/worker-main.server.ts", "--handlers", "app/batches/handlers.server.ts"], {
    // As `npm run worker` starts it: glibc's per-thread malloc arenas, one per libvips thread, fragment.
    env: { MALLOC_ARENA_MAX: "2", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(`[worker ${child.pid}] ${chunk.toString()}`));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`worker exited with ${code} before starting`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("[worker] pid")) resolve(child);
    });
  });
}

async function run(engine: "embedded" | "bullmq", items: number, rate: number, label: string): Promise<RunResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "pis-bench-jobs-"));
  const provider = await startBenchProvider({ ...settings, imagesPerMinute: rate, apiKey: API_KEY });
  const photos = await startPhotoServer();
  const shopDomain = `bench-${label}.myshopify.com`;
  const rawEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: "bench",
    SHOPIFY_API_SECRET: "bench",
    SHOPIFY_APP_URL: "http://127.0.0.1:1",
    SCOPES: "read_products",
    DATABASE_URL: `file:${path.join(dir, "bench.sqlite")}`,
    QUEUE_DRIVER: engine,
    QUEUE_PREFIX: `bench-${process.pid}-${label}`,
    WORKER_CONCURRENCY: String(settings.concurrency),
    STORAGE_DIR: path.join(dir, "storage"),
    OPENAI_API_KEY: API_KEY,
    OPENAI_BASE_URL: provider.baseURL,
    OPENAI_IMAGES_PER_MINUTE: String(rate),
    LOG_LEVEL: "warn",
    // Lets the workers fetch product photos from the local photo server, as from a shop's store.
    SHOPIFY_SHOP_ORIGIN_OVERRIDES: `${shopDomain}=${new URL(photos.url).origin}`,
  };
  const env = parseEnv(rawEnv);
  await migrate(env.DATABASE_URL);
  const db = await connectDb(env.DATABASE_URL);
  const shop = await seedShop(db, shopDomain, 1e12);
  const gids = await seedProducts(db, shop.id, Math.ceil(items / CANDIDATES), photos.url);
  const { limiter, close: closeLimiter } = createRateLimiter(env, db);
  // Empty the workers' bucket to match the server's.
  await limiter.acquire("openai", { images: rate }, { imagesPerMinute: rate });
  await closeLimiter();

  const workers = await Promise.all(Array.from({ length: settings.workers }, () => startWorkerProcess(rawEnv)));
  // Start-up (module loading, migrations) is not the items' cost.
  const startCpuMs = workers.reduce((sum, w) => sum + cpuMs(w.pid!), 0);
  const queue = createQueue(env, db);
  const created = await createBatch(
    { db, registry: createProviderRegistry(env), presets: PRESET_LIBRARY, now: () => new Date(), concurrency: settings.concurrency, queue },
    shop.id,
    batchRequest(gids, { providerId: "openai", model: "gpt-image-1.5", candidatesPerProduct: CANDIDATES, options: { size: "1024x1024", quality: "low", format: "png", background: "opaque", useReference: true, brandKit: false } }),
  );
  if (!created.ok) throw new Error(created.reasons.join("; "));
  const total = gids.length * CANDIDATES;

  let counts: Record<string, number> = {};
  for (;;) {
    const grouped = await db.batchItem.groupBy({ by: ["status"], where: { batchId: created.batchId }, _count: { _all: true } });
    counts = Object.fromEntries(grouped.map((g) => [g.status, g._count._all]));
    if (!counts.queued && !counts.running) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const reasons = await db.batchItem.groupBy({ by: ["errorKind", "errorMessage"], where: { batchId: created.batchId, status: "failed" }, _count: { _all: true } });
  for (const r of reasons) console.log(`  failed: ${r._count._all} × ${r.errorKind}: ${r.errorMessage}`);
  const finished = await db.batchItem.aggregate({ where: { batchId: created.batchId }, _max: { finishedAt: true } });
  const peaks = workers.map((w) => peakRssMb(w.pid!));
  const workerCpuMs = workers.reduce((sum, w) => sum + cpuMs(w.pid!), 0) - startCpuMs;
  await Promise.all(workers.map((w) => new Promise((resolve) => (w.once("exit", resolve), w.kill("SIGTERM")))));
  await queue.close();
  await db.$disconnect();
  await provider.close();
  await photos.close();
  rmSync(dir, { recursive: true, force: true });

  const { stats } = provider;
  const start = stats.firstOkAt ?? Date.now();
  const seconds = ((finished._max.finishedAt?.getTime() ?? Date.now()) - start) / 1000;
  // Counts ok answers after the first, over the time from the first: a rate of n events spans n-1 gaps.
  const perMinute = ((stats.ok - 1) / Math.max(0.001, ((stats.lastOkAt ?? start) - start) / 1000)) * 60;
  return {
    items: total,
    rate,
    seconds,
    perMinute,
    ok: counts.succeeded ?? 0,
    failed: (counts.failed ?? 0) + (counts.blocked ?? 0),
    provoked429: stats.provoked429,
    injected429: stats.injected429,
    injected500: stats.injected500,
    peakRssMb: peaks,
    cpuMsPerItem: workerCpuMs / Math.max(1, (counts.succeeded ?? 0) + (counts.failed ?? 0) + (counts.blocked ?? 0)),
  };
}

function describe(engine: string, r: RunResult): string {
  return [
    `${engine}: ${r.items} items at R=${r.rate}/min: ${r.ok} ok, ${r.failed} failed in ${r.seconds.toFixed(1)} s`,
    `  throughput ${r.perMinute.toFixed(1)} images/min = ${(r.perMinute / r.rate).toFixed(3)} of R`,
    `  429s provoked by the workers: ${r.provoked429}; injected: ${r.injected429} 429s, ${r.injected500} 500s`,
    `  peak RSS per worker: ${r.peakRssMb.map((m) => `${m} MB`).join(", ")}`,
    // Independent of machine load: when this exceeds the cores the workers get, they, not the pacing, set the pace.
    `  worker CPU per item: ${r.cpuMsPerItem.toFixed(0)} ms, so R needs ${((r.cpuMsPerItem * r.rate) / 60_000).toFixed(2)} cores of ${availableParallelism()} (load average at the end ${loadavg()[0]!.toFixed(1)})`,
  ].join("\n");
}

async function main() {
  console.log(
    `jobs bench: ${settings.items} items at R=${settings.rate} images/min, latency ${settings.latencyMs.min}-${settings.latencyMs.max} ms (uniform), ` +
      `injected 429 ${settings.injected429}, 500 ${settings.injected500} per request; ${settings.workers} worker processes × concurrency ${settings.concurrency}; ` +
      `then ${settings.items * settings.scale} items at R=${settings.scaleRate}/min for memory`,
  );
  for (const engine of settings.engines) {
    const small = await run(engine, settings.items, settings.rate, `${engine}-1`);
    console.log(describe(engine, small));
    const large = await run(engine, settings.items * settings.scale, settings.scaleRate, `${engine}-${settings.scale}`);
    console.log(describe(engine, large));
    const ratio = Math.max(...large.peakRssMb) / Math.max(...small.peakRssMb);
    console.log(`  peak RSS at ${settings.scale}× the items: ${ratio.toFixed(2)}× (largest worker, ${Math.max(...large.peakRssMb)} vs ${Math.max(...small.peakRssMb)} MB)`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
