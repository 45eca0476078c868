/**
 * The embedded engine: a durable queue in the app's own database (the `Job`
 * table), for installs without Redis. Workers in any number of processes
 * claim jobs under a lease they keep renewing; a job whose worker died is
 * taken again once its lease expires.
 *
 * Attempts are counted when a job is claimed, so a worker crash uses one up
 * like a thrown error does (a job that kills its worker cannot loop forever).
 * A RetryLaterError gives its attempt back: waiting out a provider's rate
 * limit is not the job failing. A worker that stops on shutdown gives the
 * attempt back too.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { DatabaseKind } from "~/db/database-url";
import type { Db } from "~/db/client.server";
import { retryWhenBusy } from "./busy-retry.server";
import { timestamp } from "./raw-sql.server";
import { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS, decideAfterFailure, type BackoffPolicy } from "./retry-policy";
import {
  NonRetryableJobError,
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
import { queueWakeup, Wakeup } from "./wakeup";

export interface EmbeddedQueueOptions {
  /** Namespace stored in `Job.queue`; workers only take jobs of their namespace. */
  queue: string;
  dialect: DatabaseKind;
}

export class EmbeddedJobQueue implements JobQueue {
  constructor(
    private readonly db: Db,
    private readonly options: EmbeddedQueueOptions,
  ) {}

  async enqueue<N extends JobName>(job: Job<N>, options: EnqueueOptions): Promise<void> {
    const now = new Date();
    const t = (date: Date) => timestamp(this.options.dialect, date);
    const runAt = t(new Date(now.getTime() + (options.delayMs ?? 0)));
    const payloadJson = JSON.stringify(job.payload);
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    // The fixed id is the primary key: a second enqueue of the same id inserts nothing.
    const inserted = await retryWhenBusy(
      () => this.db.$executeRaw`
        INSERT INTO "Job" ("id", "queue", "name", "payloadJson", "status", "runAt", "attempts", "maxAttempts", "createdAt", "updatedAt")
        VALUES (${options.jobId}, ${this.options.queue}, ${job.name}, ${payloadJson}, 'waiting', ${runAt}, 0, ${maxAttempts}, ${t(now)}, ${t(now)})
        ON CONFLICT ("id") DO NOTHING`,
    );
    if (inserted === 0 && options.rerunFinished) {
      // Conditional, so a job that is waiting or running is never reset under its worker.
      await retryWhenBusy(
        () => this.db.$executeRaw`
          UPDATE "Job" SET "status" = 'waiting', "name" = ${job.name}, "payloadJson" = ${payloadJson}, "runAt" = ${runAt},
                 "attempts" = 0, "maxAttempts" = ${maxAttempts}, "leaseOwner" = NULL, "leaseExpiresAt" = NULL,
                 "lastError" = NULL, "updatedAt" = ${t(now)}
           WHERE "id" = ${options.jobId} AND "queue" = ${this.options.queue} AND "status" IN ('completed', 'failed')`,
      );
    }
    queueWakeup(this.options.queue).notify();
  }

  async stats(): Promise<QueueStats> {
    const now = new Date();
    const queue = this.options.queue;
    const [waiting, delayed, active, failed, oldest, failures] = await Promise.all([
      this.db.job.count({ where: { queue, status: "waiting", runAt: { lte: now } } }),
      this.db.job.count({ where: { queue, status: "waiting", runAt: { gt: now } } }),
      this.db.job.count({ where: { queue, status: "active" } }),
      this.db.job.count({ where: { queue, status: "failed" } }),
      this.db.job.findFirst({ where: { queue, status: "waiting", runAt: { lte: now } }, orderBy: { runAt: "asc" } }),
      this.db.job.findMany({ where: { queue, status: "failed" }, orderBy: { updatedAt: "desc" }, take: 10 }),
    ]);
    return {
      waiting,
      delayed,
      active,
      failed,
      oldestWaitingAgeMs: oldest ? now.getTime() - oldest.runAt.getTime() : null,
      recentFailures: failures.map((f) => ({ jobId: f.id, error: f.lastError ?? "", at: f.updatedAt })),
    };
  }

  /** The database belongs to the caller; there is nothing of the queue's own to close. */
  async close(): Promise<void> {}
}

export interface EmbeddedWorkerOptions extends EmbeddedQueueOptions {
  concurrency: number;
  leaseMs: number;
  shutdownTimeoutMs: number;
  backoff?: BackoffPolicy;
  /** Idle polling starts at the minimum and doubles up to the maximum. */
  pollMinMs?: number;
  pollMaxMs?: number;
  workerId?: string;
  onError?: (error: unknown, context: string) => void;
}

interface ClaimedJob {
  id: string;
  name: string;
  payloadJson: string;
  attempts: number;
  maxAttempts: number;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
  /** Set when the job is no longer ours to finish: lease lost, or released on shutdown. */
  relinquished: boolean;
}

export function startEmbeddedWorker(db: Db, handlers: Partial<JobHandlers>, options: EmbeddedWorkerOptions): Worker {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const names = Object.keys(handlers) as JobName[];
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const pollMinMs = options.pollMinMs ?? 50;
  const pollMaxMs = options.pollMaxMs ?? 2_000;
  const onError = options.onError ?? ((error, context) => console.error(`[queue] ${context}:`, error));
  const enqueued = queueWakeup(options.queue);
  const local = new Wakeup();
  const running = new Map<string, Running>();
  let stopping = false;
  const t = (date: Date) => timestamp(options.dialect, date);

  const claimable = (now: Date) => ({
    queue: options.queue,
    name: { in: names },
    OR: [
      { status: "waiting", runAt: { lte: now } },
      { status: "active", leaseExpiresAt: { lt: now } },
    ],
  });

  async function claimPostgres(now: Date, leaseUntil: Date): Promise<ClaimedJob | undefined> {
    // SKIP LOCKED: concurrent claimers pass over each other's row instead of
    // queueing behind it, and the row lock makes the re-checked WHERE decide.
    const rows = await db.$queryRaw<ClaimedJob[]>`
      UPDATE "Job"
         SET "status" = 'active', "leaseOwner" = ${workerId}, "leaseExpiresAt" = ${leaseUntil},
             "attempts" = "attempts" + 1, "updatedAt" = ${now}
       WHERE "id" = (
         SELECT "id" FROM "Job"
          WHERE "queue" = ${options.queue} AND "name" = ANY(${names}::text[])
            AND (("status" = 'waiting' AND "runAt" <= ${now}) OR ("status" = 'active' AND "leaseExpiresAt" < ${now}))
          ORDER BY "runAt", "id"
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
      RETURNING "id", "name", "payloadJson", "attempts", "maxAttempts"`;
    return rows[0];
  }

  async function claimSqlite(now: Date, leaseUntil: Date): Promise<ClaimedJob | undefined> {
    const candidates = await db.job.findMany({
      where: claimable(now),
      orderBy: [{ runAt: "asc" }, { id: "asc" }],
      take: 8,
      select: { id: true },
    });
    for (const { id } of candidates) {
      // One conditional UPDATE: SQLite runs writes one at a time and re-checks
      // the condition, so of two workers racing for a row exactly one gets count 1.
      const count = await retryWhenBusy(
        () => db.$executeRaw`
          UPDATE "Job"
             SET "status" = 'active', "leaseOwner" = ${workerId}, "leaseExpiresAt" = ${t(leaseUntil)},
                 "attempts" = "attempts" + 1, "updatedAt" = ${t(now)}
           WHERE "id" = ${id}
             AND (("status" = 'waiting' AND "runAt" <= ${t(now)}) OR ("status" = 'active' AND "leaseExpiresAt" < ${t(now)}))`,
      );
      if (count === 1) {
        return db.job.findUniqueOrThrow({
          where: { id },
          select: { id: true, name: true, payloadJson: true, attempts: true, maxAttempts: true },
        });
      }
    }
    return undefined;
  }

  async function claim(): Promise<ClaimedJob | undefined> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + options.leaseMs);
    return options.dialect === "postgres" ? claimPostgres(now, leaseUntil) : claimSqlite(now, leaseUntil);
  }

  /** Writes only while we still hold the lease, so a worker that lost a job cannot overwrite its new owner. */
  async function finish(
    id: string,
    result: { status: "waiting" | "completed" | "failed"; lastError: string | null; runAt?: Date; giveBackAttempt?: boolean },
  ) {
    const now = new Date();
    const runAt = result.runAt ? t(result.runAt) : null;
    await retryWhenBusy(
      () => db.$executeRaw`
        UPDATE "Job"
           SET "status" = ${result.status}, "lastError" = ${result.lastError}, "runAt" = COALESCE(${runAt}, "runAt"),
               "attempts" = "attempts" - ${result.giveBackAttempt ? 1 : 0},
               "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "updatedAt" = ${t(now)}
         WHERE "id" = ${id} AND "status" = 'active' AND "leaseOwner" = ${workerId}`,
    );
  }

  async function execute(job: ClaimedJob, entry: Running) {
    let heldUntil = Date.now() + options.leaseMs;
    const relinquish = (reason: string) => {
      if (entry.relinquished) return;
      entry.relinquished = true;
      entry.controller.abort(new Error(reason));
    };
    const renew = setInterval(() => {
      const leaseUntil = Date.now() + options.leaseMs;
      retryWhenBusy(
        () => db.$executeRaw`
          UPDATE "Job" SET "leaseExpiresAt" = ${t(new Date(leaseUntil))}
           WHERE "id" = ${job.id} AND "status" = 'active' AND "leaseOwner" = ${workerId}`,
      )
        .then((count) => {
          if (count === 0) relinquish(`lease on job ${job.id} was lost`);
          else heldUntil = leaseUntil;
        })
        .catch((error: unknown) => {
          onError(error, `renewing the lease on job ${job.id}`);
          // Past the lease another worker may already run the job: stop ours.
          if (Date.now() > heldUntil) relinquish(`lease on job ${job.id} could not be renewed`);
        });
    }, Math.max(100, Math.floor(options.leaseMs / 3)));

    let failure: unknown;
    let failed = false;
    try {
      if (job.attempts > job.maxAttempts) {
        throw new NonRetryableJobError(`the worker running attempt ${job.maxAttempts} was lost`);
      }
      // Each name's handler gets its own payload; the queue only carries them through.
      const handler = handlers[job.name as JobName] as ((payload: unknown, context: JobContext) => Promise<void>) | undefined;
      if (!handler) throw new NonRetryableJobError(`no handler for job name "${job.name}"`);
      await handler(parsePayload(job), { attempt: job.attempts, signal: entry.controller.signal });
    } catch (error) {
      failed = true;
      failure = error;
    } finally {
      clearInterval(renew);
    }
    if (entry.relinquished) return;
    if (!failed) {
      await finish(job.id, { status: "completed", lastError: null });
      return;
    }
    const outcome = decideAfterFailure(failure, job.attempts, job.maxAttempts, backoff);
    if (outcome.kind === "failed") {
      await finish(job.id, { status: "failed", lastError: outcome.error });
      return;
    }
    await finish(job.id, {
      status: "waiting",
      runAt: new Date(Date.now() + outcome.delayMs),
      lastError: outcome.error,
      giveBackAttempt: outcome.kind === "retry-later",
    });
  }

  function start(job: ClaimedJob) {
    const entry: Running = { controller: new AbortController(), done: Promise.resolve(), relinquished: false };
    entry.done = execute(job, entry)
      .catch((error: unknown) => onError(error, `recording the result of job ${job.id}`))
      .finally(() => {
        running.delete(job.id);
        local.notify();
      });
    running.set(job.id, entry);
  }

  const loop = (async () => {
    if (names.length === 0) return;
    const unforward = enqueued.forward(() => local.notify());
    let idleMs = pollMinMs;
    while (!stopping) {
      if (running.size >= options.concurrency) {
        await local.wait(pollMaxMs);
        continue;
      }
      let job: ClaimedJob | undefined;
      try {
        job = await claim();
      } catch (error) {
        onError(error, "claiming a job");
      }
      if (job && !stopping) {
        idleMs = pollMinMs;
        start(job);
        continue;
      }
      if (job) {
        // Claimed while stop() was called: hand it straight back.
        await release(job.id).catch((error: unknown) => onError(error, `releasing job ${job.id}`));
        break;
      }
      await local.wait(idleMs);
      idleMs = Math.min(pollMaxMs, idleMs * 2);
    }
    unforward();
  })();

  async function release(id: string) {
    await finish(id, { status: "waiting", lastError: null, runAt: new Date(), giveBackAttempt: true });
  }

  return {
    async stop() {
      stopping = true;
      local.notify();
      await loop;
      const all = Promise.all([...running.values()].map((r) => r.done));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), options.shutdownTimeoutMs))),
      ]);
      clearTimeout(timer);
      if (!timedOut) return;
      await Promise.all(
        [...running.entries()].map(async ([id, entry]) => {
          entry.relinquished = true;
          entry.controller.abort(new Error("worker is shutting down"));
          await release(id).catch((error: unknown) => onError(error, `releasing job ${id}`));
        }),
      );
    },
  };
}

function parsePayload(job: ClaimedJob) {
  try {
    return JSON.parse(job.payloadJson) as JobPayloads[JobName];
  } catch {
    throw new NonRetryableJobError(`job ${job.id} has a payload that is not JSON`);
  }
}
