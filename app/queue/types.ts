/**
 * The job model both engines (embedded database queue, BullMQ on Redis)
 * implement. Jobs carry ids, never blobs; the fixed job id makes enqueueing
 * the same work twice a no-op.
 */

export interface JobPayloads {
  /** Run one batch item: product × preset × candidate slot. */
  "generate-item": { itemId: string };
  /** Write one approved candidate to its product's media in Shopify (or resume doing so). */
  "publish-candidate": { shopId: string; candidateId: string };
  /** Remove the media publishing added and restore the gallery's order. */
  "undo-publication": { shopId: string; candidateId: string };
  /** Automation for a product that was just created: launch, wait for its photo, auto-publish. */
  "automation-new-product": { shopId: string; productGid: string };
  /** A debounced refresh after a product's text changed. */
  "automation-refresh": { watchId: string };
  /** The scheduler's once-per-slot tick; `slot` is the ISO start of the tick slot. */
  "scheduler-tick": { slot: string };
  /** Start (or resume) an A/B test the merchant asked to start: variant Files, storefront config, pixel. */
  "experiment-start": { shopId: string; experimentId: string };
  /** Make the A/B test's recorded winner the product's featured image, then end the test. */
  "experiment-apply-winner": { shopId: string; experimentId: string };
  /** shop/redact: erase every row and stored file of the shop. */
  "erase-shop": { shopDomain: string };
  /** Stop a running A/B test that has run the shop's longest test duration. */
  "experiment-max-days": { shopId: string; experimentId: string };
  /** Delete a shop's raw pixel events older than its retention period. */
  "prune-experiment-events": { shopId: string };
}

export type JobName = keyof JobPayloads;

export interface Job<N extends JobName = JobName> {
  name: N;
  payload: JobPayloads[N];
}

export interface EnqueueOptions {
  /** Fixed id for dedupe, e.g. `generate-item:<itemId>`. */
  jobId: string;
  delayMs?: number;
  maxAttempts?: number;
  /**
   * Run again a job id that already completed or failed. Without it, enqueueing
   * a finished id is a no-op, like enqueueing a waiting or active one.
   */
  rerunFinished?: boolean;
}

export interface JobContext {
  attempt: number;
  /** Aborted when the worker is shutting down or lost its lease. */
  signal: AbortSignal;
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], context: JobContext) => Promise<void>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

export interface QueueStats {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  oldestWaitingAgeMs: number | null;
  recentFailures: { jobId: string; error: string; at: Date }[];
}

export interface JobQueue {
  enqueue<N extends JobName>(job: Job<N>, options: EnqueueOptions): Promise<void>;
  stats(): Promise<QueueStats>;
  close(): Promise<void>;
}

export interface Worker {
  /** Stops taking jobs, lets in-flight ones finish or releases them, then resolves. */
  stop(): Promise<void>;
}

/** Throw from a handler when retrying cannot help (the job fails at once). */
export class NonRetryableJobError extends Error {
  override name = "NonRetryableJobError";
}

/** Throw from a handler to retry no sooner than `delayMs` (e.g. a provider's retry-after). */
export class RetryLaterError extends Error {
  override name = "RetryLaterError";
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}
