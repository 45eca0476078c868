import { refilled, waitForAll, type BucketSpec, type BucketState } from "~/queue/rate-limit";

/**
 * Per-shop and per-client limits of the ingestion endpoint, kept in memory:
 * they protect this process from a flood and a misbehaving client, so a
 * shared store (and a database round trip per request) would buy nothing.
 * The bucket arithmetic is the shared rate limiter's.
 */
export interface IngestLimits {
  /** Events per second one shop may send, sustained; a minute's worth may burst. */
  shopEventsPerSecond: number;
  /** Events per minute one client (a browser) may send. */
  clientEventsPerMinute: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = { shopEventsPerSecond: 5_000, clientEventsPerMinute: 600 };

const MAX_TRACKED = 100_000;

export class IngestRateLimiter {
  private readonly buckets = new Map<string, BucketState>();

  constructor(
    private readonly limits: IngestLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `events` from the shop's and the client's buckets, or from neither; returns ms to wait when refused. */
  take(shopId: string, clientId: string, events: number): number {
    const t = this.now();
    const specs: BucketSpec[] = [
      { key: `s:${shopId}`, capacity: this.limits.shopEventsPerSecond * 60, refillPerMs: this.limits.shopEventsPerSecond / 1000, amount: events },
      { key: `c:${shopId}:${clientId}`, capacity: this.limits.clientEventsPerMinute, refillPerMs: this.limits.clientEventsPerMinute / 60_000, amount: events },
    ];
    const states = specs.map((spec) => refilled(this.buckets.get(spec.key), spec, t));
    const wait = waitForAll(states, specs);
    if (wait > 0) return wait;
    if (this.buckets.size > MAX_TRACKED) this.forgetFull(t);
    specs.forEach((spec, i) => this.buckets.set(spec.key, { tokens: states[i]!.tokens - spec.amount, updatedAtMs: t }));
    return 0;
  }

  /** Buckets that have refilled completely carry no information; dropping them bounds memory. */
  private forgetFull(t: number) {
    for (const [key, state] of this.buckets) {
      if (t - state.updatedAtMs > 60_000) this.buckets.delete(key);
    }
  }
}
