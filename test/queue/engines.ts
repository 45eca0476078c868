/**
 * The three real engines behind one test harness: embedded on SQLite,
 * embedded on PostgreSQL, BullMQ on Redis. Each test gets its own queue
 * namespace (and Redis key prefix), removed afterwards.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { connectDb, type Db } from "~/db/client.server";
import { migrate } from "~/db/migrate.server";
import { BullmqJobQueue, startBullmqWorker, toBullId } from "~/queue/bullmq.server";
import { EmbeddedJobQueue, startEmbeddedWorker } from "~/queue/embedded.server";
import type { BackoffPolicy } from "~/queue/retry-policy";
import type { JobHandlers, JobQueue, Worker } from "~/queue/types";
import { createEmptyDatabase, type TestDatabase } from "../support/databases";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface WorkerSettings {
  concurrency?: number;
  leaseMs?: number;
  shutdownTimeoutMs?: number;
  backoff?: BackoffPolicy;
}

export type JobState = "waiting" | "delayed" | "active" | "completed" | "failed" | "missing";

export interface EngineHarness {
  readonly name: string;
  /** Per test: a fresh namespace. */
  begin(): Promise<void>;
  end(): Promise<void>;
  queue(): JobQueue;
  startWorker(handlers: Partial<JobHandlers>, settings?: WorkerSettings): Promise<Worker>;
  state(jobId: string): Promise<JobState>;
  /** Environment for a worker-main child process on this engine and namespace. */
  childEnv(leaseMs: number): Record<string, string>;
}

const defaults = (s: WorkerSettings = {}) => ({
  concurrency: s.concurrency ?? 2,
  leaseMs: s.leaseMs ?? 5_000,
  shutdownTimeoutMs: s.shutdownTimeoutMs ?? 5_000,
  backoff: s.backoff ?? { baseMs: 50, maxMs: 500 },
});

const newNamespace = () => `qt-${process.pid}-${randomBytes(4).toString("hex")}`;

const APP_ENV = {
  SHOPIFY_API_KEY: "test-key",
  SHOPIFY_API_SECRET: "test-secret",
  SHOPIFY_APP_URL: "http://127.0.0.1:9",
  SCOPES: "read_products",
};

export function embeddedHarness(
  kind: "sqlite" | "postgres",
): EngineHarness & { setup(): Promise<void>; teardown(): Promise<void>; database(): Db } {
  let database: TestDatabase | undefined;
  let db: Db | undefined;
  let namespace = "";
  // Every worker gets its own connection, as separate processes would.
  let connections: Db[] = [];
  let workers: Worker[] = [];
  return {
    name: `embedded-${kind}`,
    database: () => db!,
    async setup() {
      database = await createEmptyDatabase(kind);
      await migrate(database.url);
      db = await connectDb(database.url);
    },
    async teardown() {
      await db?.$disconnect();
      await database?.drop();
    },
    async begin() {
      namespace = newNamespace();
    },
    async end() {
      await Promise.all(workers.map((w) => w.stop()));
      await Promise.all(connections.map((c) => c.$disconnect()));
      workers = [];
      connections = [];
      await db!.job.deleteMany({ where: { queue: namespace } });
    },
    queue: () => new EmbeddedJobQueue(db!, { queue: namespace, dialect: kind }),
    async startWorker(handlers, settings) {
      const connection = await connectDb(database!.url);
      connections.push(connection);
      const worker = startEmbeddedWorker(connection, handlers, { ...defaults(settings), queue: namespace, dialect: kind });
      workers.push(worker);
      return worker;
    },
    async state(jobId) {
      const job = await db!.job.findUnique({ where: { id: jobId } });
      if (!job) return "missing";
      if (job.status === "waiting" && job.runAt.getTime() > Date.now()) return "delayed";
      return job.status as JobState;
    },
    childEnv: (leaseMs) => ({ ...APP_ENV, QUEUE_DRIVER: "embedded", DATABASE_URL: database!.url, QUEUE_PREFIX: namespace, JOB_LEASE_MS: String(leaseMs) }),
  };
}

export function bullmqHarness(): EngineHarness & { setup(): Promise<void>; teardown(): Promise<void> } {
  let redis: Redis | undefined;
  let prefix = "";
  let queues: JobQueue[] = [];
  let workers: Worker[] = [];
  return {
    name: "bullmq-redis",
    async setup() {
      redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    },
    async teardown() {
      await redis?.quit();
    },
    async begin() {
      prefix = newNamespace();
    },
    async end() {
      await Promise.all(workers.map((w) => w.stop()));
      await Promise.all(queues.map((q) => q.close()));
      workers = [];
      queues = [];
      const keys = await redis!.keys(`${prefix}:*`);
      if (keys.length) await redis!.del(...keys);
    },
    queue() {
      const queue = new BullmqJobQueue({ redisUrl: REDIS_URL, prefix });
      queues.push(queue);
      return queue;
    },
    async startWorker(handlers, settings) {
      const s = defaults(settings);
      const worker = startBullmqWorker(handlers, { ...s, stalledIntervalMs: Math.min(1_000, s.leaseMs), redisUrl: REDIS_URL, prefix });
      workers.push(worker);
      return worker;
    },
    async state(jobId) {
      const { Queue } = await import("bullmq");
      const queue = new Queue("generate-item", { connection: redis!, prefix });
      try {
        const job = await queue.getJob(toBullId(jobId));
        if (!job) return "missing";
        const state = await job.getState();
        if (state === "prioritized") return "waiting";
        return state === "unknown" ? "missing" : (state as JobState);
      } finally {
        await queue.close();
      }
    },
    childEnv: (leaseMs) => ({ ...APP_ENV, QUEUE_DRIVER: "bullmq", REDIS_URL, QUEUE_PREFIX: prefix, JOB_LEASE_MS: String(leaseMs) }),
  };
}
