/**
 * Provider rate limits shared by every worker: token buckets per provider
 * account (requests, images, tokens per minute), kept in a store all workers
 * see (Redis, the database, or memory for a single process), and adaptive
 * concurrency (AIMD) that backs off on 429s.
 *
 * A bucket holds up to one minute's allowance and refills continuously, so
 * over any window of W ms at most `perMinute + perMinute * W / 60000` units
 * are granted.
 */

export interface RateLimits {
  requestsPerMinute?: number;
  imagesPerMinute?: number;
  tokensPerMinute?: number;
}

export interface RateCost {
  requests?: number;
  images?: number;
  tokens?: number;
}

export interface BucketSpec {
  /** Full store key of this bucket. */
  key: string;
  capacity: number;
  refillPerMs: number;
  amount: number;
}

export interface BucketStore {
  /**
   * Takes `amount` from every bucket or from none (atomically, across
   * processes). Returns 0 when taken, else the milliseconds until it could be.
   */
  take(blockKey: string, buckets: BucketSpec[]): Promise<number>;
  /** Grants nothing on `blockKey` for `delayMs` (a provider's retry-after), for every worker. */
  block(blockKey: string, delayMs: number): Promise<void>;
}

export interface BucketState {
  tokens: number;
  updatedAtMs: number;
}

/** Tokens in a bucket at `nowMs`; a clock behind the last writer's adds nothing rather than going back. */
export function refilled(state: BucketState | undefined, spec: BucketSpec, nowMs: number): BucketState {
  if (!state) return { tokens: spec.capacity, updatedAtMs: nowMs };
  const elapsed = Math.max(0, nowMs - state.updatedAtMs);
  return {
    tokens: Math.min(spec.capacity, state.tokens + elapsed * spec.refillPerMs),
    updatedAtMs: Math.max(nowMs, state.updatedAtMs),
  };
}

/** 0 if every bucket has its amount, else how long until the slowest one will. */
export function waitForAll(states: BucketState[], specs: BucketSpec[]): number {
  let wait = 0;
  specs.forEach((spec, i) => {
    const missing = spec.amount - states[i]!.tokens;
    // The epsilon keeps float dust (0.001 / 0.001 = 1.0000000000000009) from adding a millisecond.
    // 0 means "granted", so a shortfall waits at least 1 ms.
    if (missing > 0) wait = Math.max(wait, 1, Math.ceil(missing / spec.refillPerMs - 1e-9));
  });
  return wait;
}

const DIMENSIONS = [
  ["requests", "requestsPerMinute"],
  ["images", "imagesPerMinute"],
  ["tokens", "tokensPerMinute"],
] as const;

/** The buckets `cost` draws on for account `key`; dimensions without a limit are not limited. */
export function bucketsFor(key: string, cost: RateCost, limits: RateLimits): BucketSpec[] {
  const specs: BucketSpec[] = [];
  for (const [dimension, limitName] of DIMENSIONS) {
    const perMinute = limits[limitName];
    const amount = cost[dimension] ?? 0;
    if (perMinute === undefined || amount <= 0) continue;
    if (amount > perMinute) {
      throw new RangeError(`${amount} ${dimension} can never fit in a limit of ${perMinute} per minute`);
    }
    specs.push({ key: `${key}:${dimension}`, capacity: perMinute, refillPerMs: perMinute / 60_000, amount });
  }
  return specs;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

export class RateLimiter {
  /** Per key, the end of this process's line of callers waiting in acquire. */
  private readonly lines = new Map<string, Promise<void>>();

  constructor(
    private readonly store: BucketStore,
    private readonly clock: Clock = realClock,
  ) {}

  /** Takes the tokens if they are there; returns 0, or the wait before trying again. */
  tryAcquire(key: string, cost: RateCost, limits: RateLimits): Promise<number> {
    const buckets = bucketsFor(key, cost, limits);
    return this.store.take(blockKey(key), buckets);
  }

  /**
   * Resolves once the tokens are taken. A process's callers on one key take
   * turns, first come first served: otherwise every waiter wakes when the
   * next token is due and all but one ask the shared store in vain (a
   * thundering herd of reads and compare-and-sets per token, which costs
   * the workers CPU and the database writes).
   */
  async acquire(key: string, cost: RateCost, limits: RateLimits, signal?: AbortSignal): Promise<void> {
    const before = this.lines.get(key) ?? Promise.resolve();
    let leave!: () => void;
    const turn = new Promise<void>((resolve) => (leave = resolve));
    // The next caller waits for this one and for everyone before it, even if this one gives up early.
    const line = Promise.all([before, turn]).then(() => undefined);
    this.lines.set(key, line);
    try {
      await abortable(before, signal);
      for (;;) {
        const wait = await this.tryAcquire(key, cost, limits);
        if (wait === 0) return;
        await this.clock.sleep(wait, signal);
      }
    } finally {
      leave();
      if (this.lines.get(key) === line) this.lines.delete(key);
    }
  }

  /** A provider said 429: nobody on this account asks again before `retryAfterMs`. */
  block(key: string, retryAfterMs: number): Promise<void> {
    return this.store.block(blockKey(key), retryAfterMs);
  }
}

function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function blockKey(key: string): string {
  return `${key}:blocked`;
}

/** One process's buckets; right for tests and a single worker process. */
export class MemoryBucketStore implements BucketStore {
  private readonly buckets = new Map<string, BucketState>();
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly clock: Pick<Clock, "now"> = realClock) {}

  async take(blockKey: string, specs: BucketSpec[]): Promise<number> {
    const now = this.clock.now();
    const blocked = (this.blockedUntil.get(blockKey) ?? 0) - now;
    if (blocked > 0) return blocked;
    const states = specs.map((spec) => refilled(this.buckets.get(spec.key), spec, now));
    const wait = waitForAll(states, specs);
    if (wait > 0) return wait;
    specs.forEach((spec, i) =>
      this.buckets.set(spec.key, { tokens: states[i]!.tokens - spec.amount, updatedAtMs: states[i]!.updatedAtMs }),
    );
    return 0;
  }

  async block(blockKey: string, delayMs: number): Promise<void> {
    const until = this.clock.now() + delayMs;
    this.blockedUntil.set(blockKey, Math.max(until, this.blockedUntil.get(blockKey) ?? 0));
  }
}

export interface AdaptiveConcurrencyOptions {
  initial: number;
  max: number;
  min?: number;
}

interface AccountWindow {
  limit: number;
  inFlight: number;
  successes: number;
  /** Bumped on every decrease; slots from an older epoch cannot decrease it again. */
  epoch: number;
  pausedUntil: number;
  waiters: (() => void)[];
}

export interface ConcurrencySlot {
  succeeded(): void;
  /** A 429: halve the window (once per burst of 429s) and pause the account for `retryAfterMs`. */
  rateLimited(retryAfterMs: number): void;
  /** Any other failure: frees the slot, no change to the window. */
  failed(): void;
}

/**
 * AIMD concurrency per account, within one process: a 429 halves the number
 * of calls allowed in flight and pauses the account for the retry-after; a
 * run of successes as long as the window grows it by one. (Pair with
 * RateLimiter.block to make the pause hold for other processes too.)
 */
export class AdaptiveConcurrency {
  private readonly accounts = new Map<string, AccountWindow>();
  private readonly min: number;

  constructor(
    private readonly options: AdaptiveConcurrencyOptions,
    private readonly clock: Clock = realClock,
  ) {
    this.min = options.min ?? 1;
  }

  limit(key: string): number {
    return this.window(key).limit;
  }

  private window(key: string): AccountWindow {
    let window = this.accounts.get(key);
    if (!window) {
      window = { limit: this.options.initial, inFlight: 0, successes: 0, epoch: 0, pausedUntil: 0, waiters: [] };
      this.accounts.set(key, window);
    }
    return window;
  }

  async acquire(key: string, signal?: AbortSignal): Promise<ConcurrencySlot> {
    const window = this.window(key);
    for (;;) {
      signal?.throwIfAborted();
      const paused = window.pausedUntil - this.clock.now();
      if (paused > 0) {
        await this.clock.sleep(paused, signal);
        continue;
      }
      if (window.inFlight < window.limit) break;
      await new Promise<void>((resolve) => window.waiters.push(resolve));
    }
    window.inFlight += 1;
    const epoch = window.epoch;
    let done = false;
    const release = () => {
      if (done) return false;
      done = true;
      window.inFlight -= 1;
      for (const wake of window.waiters.splice(0)) wake();
      return true;
    };
    return {
      succeeded: () => {
        if (!release()) return;
        window.successes += 1;
        if (window.successes >= window.limit && window.limit < this.options.max) {
          window.limit += 1;
          window.successes = 0;
        }
      },
      rateLimited: (retryAfterMs) => {
        if (!release()) return;
        window.pausedUntil = Math.max(window.pausedUntil, this.clock.now() + retryAfterMs);
        if (epoch !== window.epoch) return;
        window.epoch += 1;
        window.limit = Math.max(this.min, Math.floor(window.limit / 2));
        window.successes = 0;
      },
      failed: () => {
        release();
      },
    };
  }
}
