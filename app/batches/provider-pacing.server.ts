/**
 * Paces provider calls to each provider account's limits, for every worker at
 * once: the shared token bucket grants each call its request and image, a
 * 429's retry-after blocks the account for all workers, and AIMD bounds the
 * calls this process has in flight (a 429 halves it, a run of successes grows
 * it back).
 */
import type { Env } from "~/config/env.server";
import { ProviderError } from "~/generation/errors";
import type { AdaptiveConcurrency, RateLimiter, RateLimits } from "~/queue/rate-limit";
import { DEFAULT_RATE_LIMIT_WAIT_MS, type RunItemDeps } from "./run-item.server";

export type AccountLimits = (providerId: string) => RateLimits | null;

/** Limits per provider; every shop without its own key draws on the install's API key's bucket. */
export function accountLimits(
  env: Pick<Env, "OPENAI_IMAGES_PER_MINUTE" | "OPENAI_REQUESTS_PER_MINUTE" | "GEMINI_IMAGES_PER_MINUTE" | "GEMINI_REQUESTS_PER_MINUTE">,
): AccountLimits {
  const limits: Record<string, RateLimits> = {
    openai: { imagesPerMinute: env.OPENAI_IMAGES_PER_MINUTE, ...(env.OPENAI_REQUESTS_PER_MINUTE && { requestsPerMinute: env.OPENAI_REQUESTS_PER_MINUTE }) },
    gemini: { imagesPerMinute: env.GEMINI_IMAGES_PER_MINUTE, ...(env.GEMINI_REQUESTS_PER_MINUTE && { requestsPerMinute: env.GEMINI_REQUESTS_PER_MINUTE }) },
  };
  return (providerId) => limits[providerId] ?? null;
}

export interface PacingParts {
  limiter: Pick<RateLimiter, "acquire" | "block">;
  concurrency: Pick<AdaptiveConcurrency, "acquire">;
  limitsFor: AccountLimits;
  /** The account a run's calls draw on (a shop's own key is its own account); the provider id when not given. */
  accountFor?: (run: { shopId: string; providerId: string }) => Promise<string>;
}

export function paced(generate: RunItemDeps["generate"], parts: PacingParts): RunItemDeps["generate"] {
  return async (run, input) => {
    const limits = parts.limitsFor(run.providerId);
    if (!limits) return generate(run, input);
    // A shop's own key has the same provider's published limits, in its own bucket.
    const account = parts.accountFor ? await parts.accountFor(run) : run.providerId;
    const slot = await parts.concurrency.acquire(account, input.signal);
    try {
      // Each item is one call for one image.
      await parts.limiter.acquire(account, { requests: 1, images: 1 }, limits, input.signal);
    } catch (error) {
      slot.failed();
      throw error;
    }
    try {
      const result = await generate(run, input);
      slot.succeeded();
      return result;
    } catch (error) {
      if (error instanceof ProviderError && error.kind === "rate_limited") {
        const waitMs = error.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
        slot.rateLimited(waitMs);
        await parts.limiter.block(account, waitMs);
      } else {
        slot.failed();
      }
      throw error;
    }
  };
}
