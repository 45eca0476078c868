/**
 * The stack for fault tests: the built app against the local store and a
 * fresh test database, the OpenAI test server as the paid provider, and
 * worker processes (`npm run worker`'s command) that the test starts, kills
 * with SIGKILL and starts again. test/support/stack.ts runs one worker it
 * owns; these tests need to own the worker's lifetime and environment.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import type { BatchProgress } from "~/batches/progress.server";
import { connectDb, type Db } from "~/db/client.server";
import { FAKE_OPENAI_API_KEY, startOpenAiServer, type FakeOpenAiServer, type RecordedRequest } from "../openai-server/server";
import { startLocalStore, type LocalStore } from "../shopify-store/server";
import { freePort, startApp, type RunningApp } from "../support/app-server";
import { createMigratedDatabase, ROOT, TMP, type TestDatabase } from "../support/databases";
import { BROWSER_HEADERS, SHOP_A } from "../support/stack";

export interface WorkerProcess {
  pid: number;
  output(): string;
  /** Resolves once the worker says it is taking jobs (starting one takes seconds on a busy machine). */
  ready(): Promise<void>;
  /** Dies at once: no shutdown handler runs, nothing is handed back. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface FaultStack {
  store: LocalStore;
  app: RunningApp;
  database: TestDatabase;
  openai: FakeOpenAiServer;
  db: Db;
  /** A worker process; `handlers` names the module with its job handlers (the app's by default). */
  startWorker(options?: { handlers?: string }): WorkerProcess;
  /** Posts one of the batch page's buttons (pause, resume, cancel, retry), as the merchant does. */
  control(batchId: string, intent: "pause" | "resume" | "cancel" | "retry"): Promise<void>;
  /** Launches a batch through the app, as the merchant's launch form does; returns its id. */
  launch(request: Record<string, unknown>): Promise<string>;
  /** The batch page's data, as the merchant's browser loads it. */
  progress(batchId: string): Promise<BatchProgress>;
  /** Everything the app and every worker started so far printed. */
  logs(): string;
  close(): Promise<void>;
}

export interface FaultStackOptions {
  queueDriver: "embedded" | "bullmq";
  leaseMs: number;
  concurrency: number;
  /** More environment for the app and its workers (it wins over the stack's own). */
  env?: Record<string, string>;
  /** A database the test owns (e.g. on a private PostgreSQL it restarts); by default a fresh test database. */
  database?: TestDatabase;
  /** The app's storage directory; by default a fresh temporary one. */
  storageDir?: string;
}

export async function startFaultStack(options: FaultStackOptions): Promise<FaultStack> {
  const apiKey = `test-key-${randomBytes(4).toString("hex")}`;
  const apiSecret = randomBytes(24).toString("hex");
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const store = await startLocalStore({
    shops: [SHOP_A],
    app: { apiKey, apiSecret, appUrl, handle: "product-imagery-studio", scopes: "read_products,write_products" },
  });
  const openai = await startOpenAiServer();
  const database = options.database ?? (await createMigratedDatabase());
  mkdirSync(TMP, { recursive: true });
  const storageDir = options.storageDir ?? mkdtempSync(path.join(TMP, "faults-storage-"));
  const extra = {
    STORAGE_DIR: storageDir,
    OPENAI_API_KEY: FAKE_OPENAI_API_KEY,
    OPENAI_BASE_URL: openai.baseURL,
    QUEUE_DRIVER: options.queueDriver,
    // Its own Redis namespace, so a run never meets another run's jobs.
    QUEUE_PREFIX: `faults-${randomBytes(4).toString("hex")}`,
    JOB_LEASE_MS: String(options.leaseMs),
    WORKER_CONCURRENCY: String(options.concurrency),
    WORKER_SHUTDOWN_TIMEOUT_MS: "1000",
    // The account limit is not under test here: high enough that pacing never holds a fault test back.
    OPENAI_IMAGES_PER_MINUTE: "600",
    ...options.env,
  };
  const app = await startApp({ port, apiKey, apiSecret, databaseUrl: database.url, originOverrides: store.originOverrides(), extra });
  const db = await connectDb(database.url);
  // The same environment startApp gives the app, so the worker sees the app's database, queue and provider.
  const workerEnv: NodeJS.ProcessEnv = {
    PATH: `${path.join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: appUrl,
    SCOPES: "read_products,write_products",
    DATABASE_URL: database.url,
    SHOPIFY_SHOP_ORIGIN_OVERRIDES: store.originOverrides(),
    ...extra,
  };
  const workers: { child: ChildProcess; output: () => string }[] = [];

  const startWorker = (workerOptions: { handlers?: string } = {}): WorkerProcess => {
    let output = "";
    // Node itself with tsx's loader, not the `tsx` command: that one runs the worker in a child
    // process, so a SIGKILL would only kill the wrapper and leave the worker running on as an orphan.
    const child = spawn(
      path.join(ROOT, "node_modules/.bin/node"),
      ["--import", "tsx", "app/queue/worker-main.server.ts", "--handlers", workerOptions.handlers ?? "app/batches/handlers.server.ts"],
      { cwd: ROOT, env: workerEnv, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const running = () => child.exitCode === null && child.signalCode === null;
    workers.push({ child, output: () => output });
    return {
      pid: child.pid ?? -1,
      output: () => output,
      ready: () => waitFor("the worker to start", async () => (/\[worker\] pid \d+/.test(output) ? true : undefined), 120_000, () => output).then(() => {}),
      async kill() {
        if (running()) child.kill("SIGKILL");
        await exited;
      },
      async stop() {
        if (running()) child.kill("SIGTERM");
        await exited;
      },
    };
  };

  return {
    store,
    app,
    database,
    openai,
    db,
    startWorker,
    async launch(request) {
      const url = new URL("/app/batches/new", app.url);
      url.searchParams.set("_data", "routes/app.batches.new");
      const response = await fetch(url, {
        method: "POST",
        body: new URLSearchParams({ intent: "launch", request: JSON.stringify(request) }),
        headers: { ...BROWSER_HEADERS, Authorization: `Bearer ${store.mintSessionToken(SHOP_A)}` },
        redirect: "manual",
      });
      const batchId = /\/app\/batches\/([^/?]+)/.exec(response.headers.get("x-remix-redirect") ?? "")?.[1];
      if (!batchId) throw new Error(`launch refused: ${response.status} ${await response.text()}`);
      return batchId;
    },
    async control(batchId, intent) {
      const url = new URL(`/app/batches/${batchId}`, app.url);
      url.searchParams.set("_data", "routes/app.batches.$id");
      const response = await fetch(url, {
        method: "POST",
        body: new URLSearchParams({ intent }),
        headers: { ...BROWSER_HEADERS, Authorization: `Bearer ${store.mintSessionToken(SHOP_A)}` },
        redirect: "manual",
      });
      if (response.status >= 400) throw new Error(`${intent} refused: ${response.status} ${await response.text()}`);
    },
    async progress(batchId) {
      const url = new URL(`/app/batches/${batchId}`, app.url);
      url.searchParams.set("_data", "routes/app.batches.$id");
      const response = await fetch(url, {
        headers: { ...BROWSER_HEADERS, Authorization: `Bearer ${store.mintSessionToken(SHOP_A)}` },
      });
      if (!response.ok) throw new Error(`batch page refused: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { progress: BatchProgress }).progress;
    },
    logs: () => [app.logs(), ...workers.map((w, i) => `--- worker ${i + 1} ---\n${w.output()}`)].join("\n"),
    async close() {
      for (const { child } of workers) {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
      await db.$disconnect();
      await bounded("the app to stop on SIGTERM", app.close(), 15_000);
      await openai.close();
      await store.close();
      if (!options.database) await database.drop();
      if (!options.storageDir) rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

/** Products of the seeded shop that have a photo, titles unique so a provider request names exactly one. */
export function productsWithPhotos(store: LocalStore, count: number): { gid: string; title: string }[] {
  const products = [...store.data.shop(SHOP_A).products.values()].filter((p) => p.media.length > 0);
  const unique = products.filter((p) => products.filter((q) => q.title.includes(p.title) || p.title.includes(q.title)).length === 1);
  if (unique.length < count) throw new Error(`the seeded shop has only ${unique.length} products with photos and distinct titles`);
  return unique.slice(0, count).map((p) => ({ gid: `gid://shopify/Product/${p.id}`, title: p.title }));
}

/** The one product (by title) a recorded provider request was for; the prompt quotes the product's title. */
export function productOf(request: RecordedRequest, products: { gid: string; title: string }[]): string {
  const prompt = String(request.fields.prompt ?? "");
  const matches = products.filter((p) => prompt.includes(p.title));
  if (matches.length !== 1) throw new Error(`request matches ${matches.length} products: ${prompt.slice(0, 200)}`);
  return matches[0]!.gid;
}

export function batchRequest(products: { gid: string }[], presetId: string, options: { useReference?: boolean } = {}) {
  return {
    productGids: products.map((p) => p.gid),
    presetIds: [presetId],
    candidatesPerProduct: 1,
    providerId: "openai",
    model: "gpt-image-1.5",
    options: { size: "1024x1024", quality: "low", format: "webp", background: "opaque", useReference: options.useReference ?? true, brandKit: false },
  };
}

/** Waits until the batch reaches one of `states`; returns its row. */
export async function batchIn(stack: FaultStack, batchId: string, states: string[], timeoutMs: number) {
  try {
    return await waitFor(
      `batch ${batchId} to be ${states.join(" or ")}`,
      async () => {
        const row = await stack.db.batch.findUniqueOrThrow({ where: { id: batchId } });
        return states.includes(row.status) ? row : undefined;
      },
      timeoutMs,
      stack.logs,
    );
  } catch (error) {
    const items = await stack.db.batchItem.findMany({ where: { batchId } }).catch(() => []);
    const summary = items.map((i) => `${i.productGid} ${i.status} attempts=${i.attempts} ${i.errorKind ?? ""} ${i.errorMessage ?? ""}`);
    const answers = stack.openai.requests.map((r) => r.answer?.status ?? "open").join(" ");
    throw new Error(`${(error as Error).message}\nitems:\n${summary.join("\n")}\nprovider answers: ${answers}`);
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, logs: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    // A probe may fail while the service it reads is down on purpose; that is "not yet".
    const value = await probe().catch((error: unknown) => void (lastError = error));
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const last = lastError ? `\nlast probe error: ${String(lastError)}` : "";
      throw new Error(`timed out waiting for ${what}${last}\n${logs().slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A shutdown that hangs is a finding, not a reason to hang the suite. */
async function bounded(what: string, done: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  try {
    await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}
