import { NonRetryableJobError, RetryLaterError } from "./types";

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 10 * 60_000 };
export const DEFAULT_MAX_ATTEMPTS = 5;
/** A provider's retry-after beyond this is cut to this; longer outages are the batch logic's call. */
export const MAX_RETRY_LATER_MS = 60 * 60_000;

/**
 * Delay before the next try after failed attempt number `attempt` (1-based):
 * exponential, capped, with "equal jitter" (half fixed, half random) so the
 * retries of a failed burst spread out yet never come back at once.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

export type FailureOutcome =
  /** Not counted as an attempt: waiting out a rate limit is not the job failing. */
  | { kind: "retry-later"; delayMs: number; error: string }
  | { kind: "retry"; delayMs: number; error: string }
  | { kind: "failed"; error: string };

/** What to do after attempt number `attempt` (1-based) threw `error`. */
export function decideAfterFailure(
  error: unknown,
  attempt: number,
  maxAttempts: number,
  policy: BackoffPolicy,
  random?: () => number,
): FailureOutcome {
  const message = describeError(error);
  if (error instanceof RetryLaterError) {
    return { kind: "retry-later", delayMs: Math.min(Math.max(0, error.delayMs), MAX_RETRY_LATER_MS), error: message };
  }
  if (error instanceof NonRetryableJobError || attempt >= maxAttempts) return { kind: "failed", error: message };
  return { kind: "retry", delayMs: backoffDelayMs(attempt, policy, random), error: message };
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2_000);
}
