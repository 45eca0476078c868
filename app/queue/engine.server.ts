import { Redis } from "ioredis";
import type { Env } from "~/config/env.server";
import type { Db } from "~/db/client.server";
import { databaseKind } from "~/db/database-url";
import { BullmqJobQueue, startBullmqWorker } from "./bullmq.server";
import { EmbeddedJobQueue, startEmbeddedWorker } from "./embedded.server";
import { RateLimiter } from "./rate-limit";
import { DbBucketStore } from "./rate-limit-db.server";
import { RedisBucketStore } from "./rate-limit-redis.server";
import type { JobHandlers, JobQueue, Worker } from "./types";

export type QueueEnv = Pick<
  Env,
  "QUEUE_DRIVER" | "REDIS_URL" | "QUEUE_PREFIX" | "DATABASE_URL" | "WORKER_CONCURRENCY" | "JOB_LEASE_MS" | "WORKER_SHUTDOWN_TIMEOUT_MS"
>;

/** The queue the app enqueues into, on the engine QUEUE_DRIVER names. */
export function createQueue(env: QueueEnv, db: Db): JobQueue {
  if (env.QUEUE_DRIVER === "bullmq") return new BullmqJobQueue({ redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX });
  return new EmbeddedJobQueue(db, { queue: env.QUEUE_PREFIX, dialect: databaseKind(env.DATABASE_URL) });
}

/**
 * For the app process's enqueue-only queue: `npm start` (server.mjs) stops its HTTP server
 * on SIGTERM/SIGINT and then waits for the event loop to empty, which an open
 * Redis connection (BullMQ) never lets happen, so a deploy would hang until
 * SIGKILL. Closing the queue on the same signals lets the process exit.
 */
export function closeOnShutdown(queue: JobQueue): JobQueue {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      queue.close().catch((error: unknown) => console.error("[queue] closing on shutdown:", error));
    });
  }
  return queue;
}

/** Starts taking jobs of the kinds `handlers` covers; other kinds are left for other workers. */
export function startWorker(env: QueueEnv, db: Db, handlers: Partial<JobHandlers>): Worker {
  const common = {
    concurrency: env.WORKER_CONCURRENCY,
    leaseMs: env.JOB_LEASE_MS,
    shutdownTimeoutMs: env.WORKER_SHUTDOWN_TIMEOUT_MS,
  };
  if (env.QUEUE_DRIVER === "bullmq") {
    return startBullmqWorker(handlers, { ...common, redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX });
  }
  return startEmbeddedWorker(db, handlers, { ...common, queue: env.QUEUE_PREFIX, dialect: databaseKind(env.DATABASE_URL) });
}

/**
 * Provider rate limits shared by every worker of the engine in use: in Redis
 * with BullMQ, in the database with the embedded engine.
 */
export function createRateLimiter(env: QueueEnv, db: Db): { limiter: RateLimiter; close(): Promise<void> } {
  if (env.QUEUE_DRIVER === "bullmq") {
    const redis = new Redis(env.REDIS_URL);
    return {
      limiter: new RateLimiter(new RedisBucketStore(redis, `${env.QUEUE_PREFIX}:rate`)),
      close: async () => void (await redis.quit()),
    };
  }
  return { limiter: new RateLimiter(new DbBucketStore(db, databaseKind(env.DATABASE_URL))), close: async () => {} };
}
