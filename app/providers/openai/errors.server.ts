import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from "openai";
import { ProviderError } from "~/generation/errors";

export const OPENAI_PROVIDER_ID = "openai";

const provider = OPENAI_PROVIDER_ID;

/**
 * How long OpenAI asked us to wait. `retry-after-ms` is OpenAI's precise
 * header; `retry-after` is the standard one, in seconds or as an HTTP date.
 */
export function retryAfterMs(headers: Headers | undefined, now: Date): number | undefined {
  const precise = headers?.get("retry-after-ms");
  if (precise) {
    const ms = Number.parseFloat(precise);
    if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  }
  const standard = headers?.get("retry-after");
  if (standard) {
    const seconds = Number.parseFloat(standard);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
    const date = Date.parse(standard);
    if (Number.isFinite(date)) return Math.max(0, date - now.getTime());
  }
  return undefined;
}

/**
 * OpenAI names the violated categories inside the message, e.g.
 * "... safety_violations=[sexual, violence]."; there is no structured field.
 */
function moderationCategories(message: string): string[] | undefined {
  const match = /safety_violations=\[([^\]]*)\]/.exec(message);
  if (!match?.[1]) return undefined;
  const categories = match[1]
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  return categories.length > 0 ? categories : undefined;
}

/** A rejected input names the offending parameter; a rejected output names none. */
function moderationStage(param: string | null | undefined): "input" | "output" | undefined {
  if (!param) return undefined;
  return /^(prompt|image|mask)/.test(param) ? "input" : undefined;
}

const QUOTA_CODES = new Set(["insufficient_quota", "billing_hard_limit_reached", "billing_not_active"]);

export function toProviderError(error: unknown, now: Date): ProviderError {
  if (error instanceof ProviderError) return error;

  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError("timeout", "OpenAI did not answer before the deadline", { provider, cause: error });
  }
  if (error instanceof APIUserAbortError) {
    return new ProviderError("timeout", "The OpenAI request was aborted", { provider, cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError("transient", `Could not reach OpenAI: ${error.message}`, { provider, cause: error });
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const { status, code, param } = error;
    const message = error.message;
    const options = { provider, status, cause: error };

    if (status === 429) {
      if (code && QUOTA_CODES.has(code)) return new ProviderError("quota_exhausted", message, options);
      return new ProviderError("rate_limited", message, { ...options, retryAfterMs: retryAfterMs(error.headers, now) });
    }
    if (status === 400 && code === "moderation_blocked") {
      return new ProviderError("moderation_blocked", message, {
        ...options,
        moderation: { stage: moderationStage(param), categories: moderationCategories(message) },
      });
    }
    if (code && QUOTA_CODES.has(code)) return new ProviderError("quota_exhausted", message, options);
    if (status === 401 || status === 403) return new ProviderError("authentication", message, options);
    if (status === 408) return new ProviderError("timeout", message, options);
    if (status >= 500) return new ProviderError("transient", message, options);
    if (status >= 400 && status < 500 && status !== 409) return new ProviderError("invalid_request", message, options);
    return new ProviderError("transient", message, options);
  }

  // The SDK throws a bare OpenAIError when it rejects our arguments before
  // sending anything; resending the same arguments cannot succeed.
  if (error instanceof OpenAIError) {
    return new ProviderError("invalid_request", `OpenAI SDK refused the request: ${error.message}`, { provider, cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError("transient", `Unexpected failure calling OpenAI: ${detail}`, { provider, cause: error });
}
