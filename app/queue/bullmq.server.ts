/**
 * The Redis engine, on BullMQ: one BullMQ queue per job name, so a worker
 * process only takes the kinds of job it has handlers for.
 *
 * Attempts: BullMQ counts thrown errors (`attemptsMade`); a crashed worker's
 * job comes back through BullMQ's stalled-job check, at most
 * `maxStalledCount` times. A RetryLaterError moves the job to the delayed set
 * without using an attempt, as in the embedded engine.
 */
import { DelayedError, Queue, UnrecoverableError, WaitingError, Worker as BullWorker, type Job as BullJob } from "bullmq";
import { Redis } from "ioredis";
import { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS, MAX_RETRY_LATER_MS, backoffDelayMs, describeError, type BackoffPolicy } from "./retry-policy";
import {
  NonRetryableJobError,
  RetryLaterError,
  type EnqueueOptions,
  type Job,
  type JobContext,
  type JobHandlers,
  type JobName,
  type JobPayloads,
  type JobQueue,
  type QueueStats,
  type Worker,
} from "./types";

// A record, so adding a job name to JobPayloads fails to compile until it is listed here.
const JOB_NAMES = Object.keys({
  "generate-item": true,
  "publish-candidate": true,
  "undo-publication": true,
  "experiment-start": true,
  "experiment-apply-winner": true,
  "automation-new-product": true,
  "automation-refresh": true,
  "scheduler-tick": true,
  "erase-shop": true,
  "experiment-max-days": true,
  "prune-experiment-events": true,
} satisfies Record<JobName, true>) as JobName[];
/** Any name BullMQ does not know makes it call our backoffStrategy. */
const BACKOFF_TYPE = "jittered-exponential";
// Finished jobs are kept so re-enqueueing their id stays a no-op for this long.
const KEEP_COMPLETED = { age: 14 * 24 * 3600 };
const KEEP_FAILED = { age: 30 * 24 * 3600 };

/** BullMQ reserves ":" in ids (its key separator); this escaping is reversible. */
export function toBullId(jobId: string): string {
  return jobId.replaceAll("%", "%25").replaceAll(":", "%3A");
}

export function fromBullId(id: string): string {
  return id.replaceAll("%3A", ":").replaceAll("%25", "%");
}

export interface BullmqQueueOptions {
  redisUrl: string;
  /** Key prefix in Redis (BullMQ's default is "bull"). */
  prefix: string;
}

function redis(url: string): Redis {
  // BullMQ requires maxRetriesPerRequest: null on connections it blocks on.
  return new Redis(url, { maxRetriesPerRequest: null });
}

export class BullmqJobQueue implements JobQueue {
  private readonly connection: Redis;
  private readonly queues = new Map<JobName, Queue>();

  constructor(private readonly options: BullmqQueueOptions) {
    this.connection = redis(options.redisUrl);
  }

  private queue(name: JobName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.options.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<N extends JobName>(job: Job<N>, options: EnqueueOptions): Promise<void> {
    const queue = this.queue(job.name);
    const id = toBullId(options.jobId);
    if (options.rerunFinished) {
      const existing = await queue.getJob(id);
      const state = await existing?.getState();
      if (existing && (state === "completed" || state === "failed")) await existing.remove();
    }
    // An existing id (waiting, active, delayed or kept after finishing) makes add a no-op.
    await queue.add(job.name, job.payload, {
      jobId: id,
      delay: options.delayMs,
      attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      backoff: { type: BACKOFF_TYPE },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    });
  }

  async stats(): Promise<QueueStats> {
    const now = Date.now();
    const perQueue = await Promise.all(
      JOB_NAMES.map(async (name) => {
        const queue = this.queue(name);
        const [counts, oldest, failed] = await Promise.all([
          queue.getJobCounts("wait", "prioritized", "active", "delayed", "failed"),
          queue.getJobs(["wait"], 0, 0, true),
          queue.getFailed(0, 9),
        ]);
        return { counts, oldest: oldest[0], failed };
      }),
    );
    const sum = (state: string) => perQueue.reduce((total, q) => total + (q.counts[state] ?? 0), 0);
    const waitingSince = perQueue
      .map((q) => q.oldest)
      .filter((job): job is BullJob => job !== undefined)
      .map((job) => job.timestamp + (job.delay ?? 0));
    return {
      waiting: sum("wait") + sum("prioritized"),
      active: sum("active"),
      delayed: sum("delayed"),
      failed: sum("failed"),
      oldestWaitingAgeMs: waitingSince.length ? Math.max(0, now - Math.min(...waitingSince)) : null,
      recentFailures: perQueue
        .flatMap((q) => q.failed)
        .map((job) => ({ jobId: fromBullId(job.id ?? ""), error: job.failedReason, at: new Date(job.finishedOn ?? now) }))
        .sort((a, b) => b.at.getTime() - a.at.getTime())
        .slice(0, 10),
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await this.connection.quit();
  }
}

export interface BullmqWorkerOptions extends BullmqQueueOptions {
  concurrency: number;
  /** BullMQ's lock duration: a crashed worker's job is taken again after about this long. */
  leaseMs: number;
  shutdownTimeoutMs: number;
  backoff?: BackoffPolicy;
  /** How often a crashed worker's jobs are looked for; defaults to the lease. */
  stalledIntervalMs?: number;
  /** How many crashes a job survives before it fails. */
  maxStalledCount?: number;
  onError?: (error: unknown, context: string) => void;
}

interface InFlight {
  job: BullJob;
  token: string | undefined;
  controller: AbortController;
  released: boolean;
}

export function startBullmqWorker(handlers: Partial<JobHandlers>, options: BullmqWorkerOptions): Worker {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const onError = options.onError ?? ((error, context) => console.error(`[queue] ${context}:`, error));
  const inFlight = new Set<InFlight>();

  // BullMQ leaves a connection it was given open on close; these are ours to end.
  const connections: Redis[] = [];
  const workers = (Object.keys(handlers) as JobName[]).map((name) => {
    // Each name's handler gets its own payload; the queue only carries them through.
    const handler = handlers[name] as (payload: unknown, context: JobContext) => Promise<void>;
    const connection = redis(options.redisUrl);
    connections.push(connection);
    const worker = new BullWorker<JobPayloads[typeof name]>(
      name,
      async (job, token, signal) => {
        const entry: InFlight = { job, token, controller: new AbortController(), released: false };
        signal?.addEventListener("abort", () => entry.controller.abort(signal.reason), { once: true });
        inFlight.add(entry);
        try {
          await handler(job.data, { attempt: job.attemptsMade + 1, signal: entry.controller.signal });
        } catch (error) {
          if (entry.released) throw new WaitingError();
          if (error instanceof RetryLaterError) {
            const delayMs = Math.min(Math.max(0, error.delayMs), MAX_RETRY_LATER_MS);
            await job.moveToDelayed(Date.now() + delayMs, token);
            throw new DelayedError();
          }
          if (error instanceof NonRetryableJobError) throw new UnrecoverableError(describeError(error));
          throw error;
        } finally {
          inFlight.delete(entry);
        }
        // Released on shutdown: the job is back in "wait" and is not ours to complete.
        if (entry.released) throw new WaitingError();
      },
      {
        connection,
        prefix: options.prefix,
        concurrency: options.concurrency,
        lockDuration: options.leaseMs,
        // BullMQ renews at half the lease by default, so one renewal delayed by a busy event loop
        // (sharp, a loaded machine) loses the lock and the job is handed to another worker mid-run.
        lockRenewTime: Math.max(100, Math.floor(options.leaseMs / 4)),
        stalledInterval: options.stalledIntervalMs ?? options.leaseMs,
        maxStalledCount: options.maxStalledCount ?? 2,
        settings: { backoffStrategy: (attemptsMade: number) => backoffDelayMs(attemptsMade, backoff) },
      },
    );
    worker.on("error", (error) => onError(error, `BullMQ worker for ${name}`));
    return worker;
  });

  return {
    async stop() {
      const closing = Promise.all(workers.map((worker) => worker.close()));
      if (!(await finishesWithin(closing, options.shutdownTimeoutMs))) await releaseInFlight(closing);
      for (const connection of connections) connection.disconnect();
    },
  };

  async function releaseInFlight(closing: Promise<unknown>) {
    await Promise.all(
      [...inFlight].map(async (entry) => {
        entry.released = true;
        entry.controller.abort(new Error("worker is shutting down"));
        await entry.job.moveToWait(entry.token).catch((error: unknown) => onError(error, `releasing job ${entry.job.id}`));
      }),
    );
    // A handler that ignores its abort signal would keep close() waiting forever.
    if (!(await finishesWithin(closing, 2_000))) await Promise.all(workers.map((worker) => worker.disconnect()));
  }
}

async function finishesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return result;
}
