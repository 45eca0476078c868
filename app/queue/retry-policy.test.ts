import { describe, expect, it } from "vitest";
import { backoffDelayMs, decideAfterFailure, MAX_RETRY_LATER_MS } from "./retry-policy";
import { NonRetryableJobError, RetryLaterError } from "./types";

const policy = { baseMs: 1_000, maxMs: 30_000 };

describe("backoffDelayMs", () => {
  it("doubles per attempt, with half of each delay random, up to the cap", () => {
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, policy, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, policy, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffDelayMs(20, policy, () => 1)).toBe(30_000);
    expect(backoffDelayMs(20, policy, () => 0)).toBe(15_000);
  });
});

describe("decideAfterFailure", () => {
  it("retries ordinary errors until the last attempt", () => {
    expect(decideAfterFailure(new Error("boom"), 1, 3, policy, () => 0)).toEqual({ kind: "retry", delayMs: 500, error: "Error: boom" });
    expect(decideAfterFailure(new Error("boom"), 3, 3, policy).kind).toBe("failed");
  });

  it("fails a NonRetryableJobError on the first attempt", () => {
    expect(decideAfterFailure(new NonRetryableJobError("no"), 1, 5, policy).kind).toBe("failed");
  });

  it("waits out a RetryLaterError even on the last attempt, capping absurd delays", () => {
    expect(decideAfterFailure(new RetryLaterError("429", 1_234), 5, 5, policy)).toMatchObject({ kind: "retry-later", delayMs: 1_234 });
    expect(decideAfterFailure(new RetryLaterError("429", 10 * MAX_RETRY_LATER_MS), 1, 5, policy)).toMatchObject({ delayMs: MAX_RETRY_LATER_MS });
  });
});
