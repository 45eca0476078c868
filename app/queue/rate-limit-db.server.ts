import type { Db } from "~/db/client.server";
import type { DatabaseKind } from "~/db/database-url";
import { retryWhenBusy } from "./busy-retry.server";
import { realClock, refilled, waitForAll, type BucketSpec, type BucketState, type BucketStore, type Clock } from "./rate-limit";
import { timestamp } from "./raw-sql.server";

interface Row {
  tokens: number;
  updatedAt: Date;
}

/**
 * Buckets in `RateBucket` rows, for the embedded engine's workers. Each take
 * reads the rows, then writes each back only if it did not change meanwhile
 * (compare-and-set on tokens and updatedAt, one statement each), retrying on
 * a conflict: correct on SQLite and PostgreSQL alike, without row locks or
 * transactions. The block key's row stores the blocked-until time (epoch ms)
 * as its tokens.
 */
export class DbBucketStore implements BucketStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: DatabaseKind,
    private readonly clock: Pick<Clock, "now"> = realClock,
  ) {}

  private t(date: Date) {
    return timestamp(this.dialect, date);
  }

  async take(blockKey: string, specs: BucketSpec[]): Promise<number> {
    for (;;) {
      const now = this.clock.now();
      const keys = [blockKey, ...specs.map((spec) => spec.key)];
      const rows = await this.db.rateBucket.findMany({ where: { key: { in: keys } } });
      const byKey = new Map(rows.map((row) => [row.key, row]));
      const blocked = (byKey.get(blockKey)?.tokens ?? 0) - now;
      if (blocked > 0) return Math.ceil(blocked);

      const missing = specs.filter((spec) => !byKey.has(spec.key));
      if (missing.length) {
        for (const spec of missing) await this.createRow(spec.key, spec.capacity, now);
        continue;
      }
      const before = specs.map((spec) => byKey.get(spec.key)!);
      const states = specs.map(
        (spec, i): BucketState =>
          refilled({ tokens: before[i]!.tokens, updatedAtMs: before[i]!.updatedAt.getTime() }, spec, now),
      );
      const wait = waitForAll(states, specs);
      if (wait > 0) return wait;
      if (await this.takeAll(specs, before, states)) return 0;
      // Lost a race: step aside briefly so the contenders do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    }
  }

  /**
   * Compare-and-set each bucket in turn. If one lost a race, the buckets
   * already taken get their amount back; meanwhile others saw fewer tokens,
   * never more. (Above capacity after a refund reads as full: refilled() caps it.)
   */
  private async takeAll(specs: BucketSpec[], before: Row[], states: BucketState[]): Promise<boolean> {
    const taken: BucketSpec[] = [];
    for (const [i, spec] of specs.entries()) {
      const tokens = states[i]!.tokens - spec.amount;
      const updatedAt = this.t(new Date(states[i]!.updatedAtMs));
      const count = await retryWhenBusy(
        () => this.db.$executeRaw`
          UPDATE "RateBucket" SET "tokens" = ${tokens}, "updatedAt" = ${updatedAt}
           WHERE "key" = ${spec.key} AND "tokens" = ${before[i]!.tokens} AND "updatedAt" = ${this.t(before[i]!.updatedAt)}`,
      );
      if (count !== 1) {
        for (const done of taken) {
          await retryWhenBusy(
            () => this.db.$executeRaw`UPDATE "RateBucket" SET "tokens" = "tokens" + ${done.amount} WHERE "key" = ${done.key}`,
          );
        }
        return false;
      }
      taken.push(spec);
    }
    return true;
  }

  private async createRow(key: string, tokens: number, now: number) {
    // Another worker may create it first; its row is as good as ours.
    await retryWhenBusy(
      () => this.db.$executeRaw`
        INSERT INTO "RateBucket" ("key", "tokens", "updatedAt") VALUES (${key}, ${tokens}, ${this.t(new Date(now))})
        ON CONFLICT ("key") DO NOTHING`,
    );
  }

  async block(blockKey: string, delayMs: number): Promise<void> {
    if (delayMs <= 0) return;
    const now = this.clock.now();
    const until = now + delayMs;
    await this.createRow(blockKey, until, now);
    // Only ever extends a block: a shorter retry-after must not cut a longer one short.
    await retryWhenBusy(
      () => this.db.$executeRaw`
        UPDATE "RateBucket" SET "tokens" = ${until}, "updatedAt" = ${this.t(new Date(now))}
         WHERE "key" = ${blockKey} AND "tokens" < ${until}`,
    );
  }
}
