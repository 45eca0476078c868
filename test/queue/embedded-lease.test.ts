/**
 * Embedded engine only: what a worker does when its lease is taken from it
 * (it stalled past the lease and another worker claimed the job).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { embeddedHarness } from "./engines";

const engine = embeddedHarness("sqlite");

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("embedded worker that lost its lease", () => {
  beforeAll(() => engine.setup(), 60_000);
  afterAll(() => engine.teardown());
  beforeEach(() => engine.begin());
  afterEach(() => engine.end());

  it("aborts its handler and does not overwrite the new owner's job", async () => {
    await engine.queue().enqueue({ name: "generate-item", payload: { itemId: "x" } }, { jobId: "generate-item:x" });
    let signal: AbortSignal | undefined;
    let finishAnyway: (() => void) | undefined;
    await engine.startWorker(
      {
        "generate-item": (_payload, context) =>
          new Promise<void>((resolve) => {
            signal = context.signal;
            finishAnyway = resolve;
          }),
      },
      { leaseMs: 1_000 },
    );
    await until(() => signal !== undefined);
    // Another worker took the job over, as after a lease expiry.
    const db = engine.database();
    await db.job.update({ where: { id: "generate-item:x" }, data: { leaseOwner: "other-worker" } });
    await until(() => signal!.aborted, 3_000);
    // The old handler ignores the abort and "succeeds" late: the row stays the new owner's.
    finishAnyway!();
    await new Promise((r) => setTimeout(r, 200));
    const row = await db.job.findUniqueOrThrow({ where: { id: "generate-item:x" } });
    expect(row).toMatchObject({ status: "active", leaseOwner: "other-worker" });
  });
});
