/**
 * Every provider failure is one of these. The job system decides retries by
 * class: only RateLimited, Transient and Timeout are retryable.
 */
export type ProviderErrorKind =
  | "rate_limited"
  | "moderation_blocked"
  | "invalid_request"
  | "authentication"
  | "quota_exhausted"
  | "transient"
  | "timeout";

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly provider: string;
  readonly retryable: boolean;
  /** For rate_limited: how long the provider told us to wait. */
  readonly retryAfterMs?: number;
  /** For moderation_blocked. */
  readonly moderation?: { stage?: "input" | "output"; categories?: string[] };
  readonly status?: number;

  constructor(
    kind: ProviderErrorKind,
    message: string,
    options: {
      provider: string;
      retryAfterMs?: number;
      moderation?: { stage?: "input" | "output"; categories?: string[] };
      status?: number;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.name = "ProviderError";
    this.kind = kind;
    this.provider = options.provider;
    this.retryAfterMs = options.retryAfterMs;
    this.moderation = options.moderation;
    this.status = options.status;
    this.retryable = kind === "rate_limited" || kind === "transient" || kind === "timeout";
  }
}
