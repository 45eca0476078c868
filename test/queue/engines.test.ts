/**
 * One behaviour suite, run against every real engine: embedded on SQLite,
 * embedded on PostgreSQL, BullMQ on Redis.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NonRetryableJobError, RetryLaterError, type JobContext } from "~/queue/types";
import { ROOT } from "../support/databases";
import { bullmqHarness, embeddedHarness } from "./engines";

const harnesses = [embeddedHarness("sqlite"), embeddedHarness("postgres"), bullmqHarness()];

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const job = (itemId: string) => ({ name: "generate-item" as const, payload: { itemId } });

describe.each(harnesses)("$name", (engine) => {
  beforeAll(() => engine.setup(), 60_000);
  afterAll(() => engine.teardown());
  beforeEach(() => engine.begin());
  afterEach(() => engine.end(), 30_000);

  it("enqueueing the same job id twice is a no-op, also after it completed unless a rerun is asked for", async () => {
    const queue = engine.queue();
    await Promise.all([1, 2, 3].map(() => queue.enqueue(job("a"), { jobId: "generate-item:a" })));
    expect((await queue.stats()).waiting).toBe(1);

    const runs: string[] = [];
    await engine.startWorker({ "generate-item": async ({ itemId }) => void runs.push(itemId) });
    await until(async () => (await engine.state("generate-item:a")) === "completed");
    await queue.enqueue(job("a"), { jobId: "generate-item:a" });
    await new Promise((r) => setTimeout(r, 300));
    expect(runs).toEqual(["a"]);

    await queue.enqueue(job("a"), { jobId: "generate-item:a", rerunFinished: true });
    await until(() => runs.length === 2, 10_000, "the rerun");
    await until(async () => (await engine.state("generate-item:a")) === "completed");
    expect(runs).toEqual(["a", "a"]);
  });

  it("runs every job exactly once with three concurrent workers", async () => {
    const queue = engine.queue();
    const ids = Array.from({ length: 60 }, (_, i) => `i${i}`);
    for (const id of ids) await queue.enqueue(job(id), { jobId: `generate-item:${id}` });
    const runs = new Map<string, number>();
    const byWorker = [0, 0, 0];
    for (const w of [0, 1, 2]) {
      await engine.startWorker(
        {
          "generate-item": async ({ itemId }) => {
            runs.set(itemId, (runs.get(itemId) ?? 0) + 1);
            byWorker[w]! += 1;
            await new Promise((r) => setTimeout(r, 5 + Math.random() * 15));
          },
        },
        { concurrency: 4 },
      );
    }
    await until(() => [...runs.values()].reduce((a, b) => a + b, 0) >= ids.length, 30_000, "all jobs");
    await until(async () => {
      const stats = await queue.stats();
      return stats.waiting + stats.active + stats.delayed === 0;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    // Each worker took some of the work, so the claims really raced.
    expect(byWorker.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  });

  it("a job whose worker process is SIGKILLed mid-job is taken over after its lease and completes once", async () => {
    const leaseMs = 1_000;
    const markers = mkdtempSync(path.join(tmpdir(), "pis-crash-"));
    const queue = engine.queue();
    await queue.enqueue(job("crash"), { jobId: "generate-item:crash", maxAttempts: 3 });
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "app/queue/worker-main.server.ts", "--handlers", "test/queue/fixtures/hanging-handlers.ts"],
      { cwd: ROOT, env: { ...process.env, ...engine.childEnv(leaseMs), CRASH_MARKER_DIR: markers }, stdio: "ignore" },
    );
    try {
      await until(() => existsSync(path.join(markers, "crash.started")), 30_000, "the child worker to start the job");
      expect(await engine.state("generate-item:crash")).toBe("active");
      child.kill("SIGKILL");
      const killedAt = Date.now();

      const attempts: JobContext["attempt"][] = [];
      await engine.startWorker({ "generate-item": async (_payload, context) => void attempts.push(context.attempt) }, { leaseMs });
      await until(async () => (await engine.state("generate-item:crash")) === "completed", 15_000, "the takeover");
      // Not before the dead worker's lease ran out.
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(leaseMs / 2);
      await new Promise((r) => setTimeout(r, 500));
      expect(attempts).toHaveLength(1);
    } finally {
      child.kill("SIGKILL");
      rmSync(markers, { recursive: true, force: true });
    }
  }, 60_000);

  it("worker-main stops on SIGTERM, handing back a job that outlives the shutdown timeout", async () => {
    const markers = mkdtempSync(path.join(tmpdir(), "pis-term-"));
    const queue = engine.queue();
    await queue.enqueue(job("term"), { jobId: "generate-item:term" });
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "app/queue/worker-main.server.ts", "--handlers", "test/queue/fixtures/hanging-handlers.ts"],
      {
        cwd: ROOT,
        env: { ...process.env, ...engine.childEnv(5_000), WORKER_SHUTDOWN_TIMEOUT_MS: "300", CRASH_MARKER_DIR: markers },
        stdio: "ignore",
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await until(() => existsSync(path.join(markers, "term.started")), 30_000, "the child worker to start the job");
      const termAt = Date.now();
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(Date.now() - termAt).toBeLessThan(5_000);
      // Handed back at once, not left for the 5 s lease to expire.
      expect(["waiting", "delayed"]).toContain(await engine.state("generate-item:term"));
    } finally {
      child.kill("SIGKILL");
      rmSync(markers, { recursive: true, force: true });
    }
  }, 60_000);

  it("RetryLaterError delays the job without using up an attempt", async () => {
    const queue = engine.queue();
    await queue.enqueue(job("rl"), { jobId: "generate-item:rl", maxAttempts: 1 });
    const calls: { at: number; attempt: number }[] = [];
    await engine.startWorker({
      "generate-item": async (_payload, { attempt }) => {
        calls.push({ at: Date.now(), attempt });
        if (calls.length < 3) throw new RetryLaterError("429 from provider", 400);
      },
    });
    await until(async () => (await engine.state("generate-item:rl")) === "completed", 15_000, "completion");
    // With maxAttempts 1, any counted attempt would have failed the job instead.
    expect(calls.map((c) => c.attempt)).toEqual([1, 1, 1]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(380);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(380);
  });

  it("a delayed job does not run before its delay", async () => {
    const queue = engine.queue();
    const enqueuedAt = Date.now();
    await queue.enqueue(job("later"), { jobId: "generate-item:later", delayMs: 600 });
    expect(await engine.state("generate-item:later")).toBe("delayed");
    let ranAt = 0;
    await engine.startWorker({ "generate-item": async () => void (ranAt = Date.now()) });
    await until(() => ranAt > 0, 10_000, "the delayed job");
    expect(ranAt - enqueuedAt).toBeGreaterThanOrEqual(590);
  });

  it("NonRetryableJobError fails the job at once", async () => {
    const queue = engine.queue();
    await queue.enqueue(job("bad"), { jobId: "generate-item:bad", maxAttempts: 5 });
    let calls = 0;
    await engine.startWorker({
      "generate-item": async () => {
        calls += 1;
        throw new NonRetryableJobError("moderation blocked the prompt");
      },
    });
    await until(async () => (await engine.state("generate-item:bad")) === "failed", 10_000, "failure");
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(1);
    const stats = await queue.stats();
    expect(stats.failed).toBe(1);
    expect(stats.recentFailures[0]?.jobId).toBe("generate-item:bad");
    expect(stats.recentFailures[0]?.error).toContain("moderation blocked the prompt");
  });

  it("retries a failing job with growing delays, up to maxAttempts", async () => {
    const queue = engine.queue();
    await queue.enqueue(job("flaky"), { jobId: "generate-item:flaky", maxAttempts: 4 });
    const calls: { at: number; attempt: number }[] = [];
    await engine.startWorker(
      {
        "generate-item": async (_payload, { attempt }) => {
          calls.push({ at: Date.now(), attempt });
          throw new Error("provider timed out");
        },
      },
      { backoff: { baseMs: 200, maxMs: 5_000 } },
    );
    await until(async () => (await engine.state("generate-item:flaky")) === "failed", 20_000, "final failure");
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    // Equal jitter: at least half of 200, 400, 800 ms, at most the full delay plus polling slack.
    [200, 400, 800].forEach((full, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(full / 2 - 10);
      expect(gaps[i]).toBeLessThan(full + 1_500);
    });
  }, 30_000);

  it("stop() lets an in-flight job finish", async () => {
    const queue = engine.queue();
    await queue.enqueue(job("slow"), { jobId: "generate-item:slow" });
    let started = false;
    const worker = await engine.startWorker({
      "generate-item": async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 300));
      },
    });
    await until(() => started, 10_000, "the job to start");
    await worker.stop();
    expect(await engine.state("generate-item:slow")).toBe("completed");
  });

  it("stop() releases a job that outlives the shutdown timeout, and another worker runs it", async () => {
    const queue = engine.queue();
    await queue.enqueue(job("stuck"), { jobId: "generate-item:stuck", maxAttempts: 1 });
    let signal: AbortSignal | undefined;
    const worker = await engine.startWorker(
      {
        "generate-item": (_payload, context) =>
          new Promise<void>((_resolve, reject) => {
            signal = context.signal;
            context.signal.addEventListener("abort", () => reject(context.signal.reason));
          }),
      },
      { shutdownTimeoutMs: 300 },
    );
    await until(() => signal !== undefined, 10_000, "the job to start");
    const stopAt = Date.now();
    await worker.stop();
    expect(Date.now() - stopAt).toBeLessThan(3_000);
    expect(signal!.aborted).toBe(true);
    expect(["waiting", "delayed"]).toContain(await engine.state("generate-item:stuck"));

    const attempts: number[] = [];
    await engine.startWorker({ "generate-item": async (_payload, { attempt }) => void attempts.push(attempt) });
    await until(async () => (await engine.state("generate-item:stuck")) === "completed", 10_000, "the rerun");
    // maxAttempts is 1: the released run did not use up the only attempt.
    expect(attempts).toEqual([1]);
  });
});
