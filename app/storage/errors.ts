/**
 * Storage could not do what was asked. `retryable` is false for conditions an
 * operator has to fix (disk full, no permission, bad credentials): retrying
 * the job would fail the same way.
 */
export class StorageError extends Error {
  override name = "StorageError";
  readonly retryable: boolean;
  readonly code: string | undefined;

  constructor(message: string, options: { retryable: boolean; code?: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable;
    this.code = options.code;
  }
}
