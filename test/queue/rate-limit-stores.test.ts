/**
 * The shared bucket stores under real concurrency: several limiters (each
 * with its own connection, as separate workers would have) hammer one
 * account, and no window of time may see more grants than the limit allows.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDb, type Db } from "~/db/client.server";
import { migrate } from "~/db/migrate.server";
import { RateLimiter, type BucketStore } from "~/queue/rate-limit";
import { DbBucketStore } from "~/queue/rate-limit-db.server";
import { RedisBucketStore } from "~/queue/rate-limit-redis.server";
import { createEmptyDatabase, type TestDatabase } from "../support/databases";
import { REDIS_URL } from "./engines";

interface StoreHarness {
  name: string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** A store on its own connection. */
  store(): Promise<BucketStore>;
}

function dbStores(kind: "sqlite" | "postgres"): StoreHarness {
  let database: TestDatabase | undefined;
  const connections: Db[] = [];
  return {
    name: `database-${kind}`,
    async setup() {
      database = await createEmptyDatabase(kind);
      await migrate(database.url);
    },
    async teardown() {
      await Promise.all(connections.map((c) => c.$disconnect()));
      await database?.drop();
    },
    async store() {
      const db = await connectDb(database!.url);
      connections.push(db);
      return new DbBucketStore(db, kind);
    },
  };
}

function redisStores(): StoreHarness {
  const prefix = `rl-test-${process.pid}-${randomBytes(4).toString("hex")}`;
  const connections: Redis[] = [];
  return {
    name: "redis",
    async setup() {},
    async teardown() {
      const redis = connections[0];
      const keys = redis ? await redis.keys(`${prefix}:*`) : [];
      if (keys.length) await redis!.del(...keys);
      await Promise.all(connections.map((c) => c.quit()));
    },
    async store() {
      const redis = new Redis(REDIS_URL);
      connections.push(redis);
      return new RedisBucketStore(redis, prefix);
    },
  };
}

describe.each([dbStores("sqlite"), dbStores("postgres"), redisStores()])("$name bucket store", (harness) => {
  beforeAll(() => harness.setup(), 60_000);
  afterAll(() => harness.teardown());

  it("never grants more than the limit under concurrency", async () => {
    // 60 per minute: a burst of 60, then 1 per second.
    const perMinute = 60;
    const limits = { requestsPerMinute: perMinute };
    const key = `acct-${randomBytes(3).toString("hex")}`;
    const limiters = await Promise.all([1, 2, 3, 4].map(async () => new RateLimiter(await harness.store())));
    const grants: number[] = [];
    const start = Date.now();
    // Until the burst is spent and refills have been granted; a busy machine only makes that take longer.
    const enough = perMinute + 3;
    const deadlineMs = 20_000;
    await Promise.all(
      limiters.flatMap((limiter) =>
        [1, 2].map(async () => {
          while (grants.length < enough && Date.now() - start < deadlineMs) {
            if ((await limiter.tryAcquire(key, { requests: 1 }, limits)) === 0) grants.push(Date.now());
            else await new Promise((r) => setTimeout(r, 5));
          }
        }),
      ),
    );
    grants.sort((a, b) => a - b);
    // The token-bucket bound: by any moment t, at most the burst plus what refilled since the start (+1 for rounding).
    for (const [i, t] of grants.entries()) {
      expect(i + 1).toBeLessThanOrEqual(perMinute + Math.floor(((t - start) * perMinute) / 60_000) + 1);
    }
    // Throttled rather than merely slow: the burst was spent and refills were granted.
    expect(grants.length).toBeGreaterThanOrEqual(perMinute + 1);
    const elapsed = Date.now() - start;
    console.info(
      `[${harness.name}] ${grants.length} grants in ${elapsed} ms (bound ${perMinute + (elapsed * perMinute) / 60_000}); ` +
        `burst of ${perMinute} spent after ${grants[perMinute - 1]! - start} ms`,
    );
  }, 30_000);

  it("a 429 block set by one worker holds the others", async () => {
    const key = `acct-${randomBytes(3).toString("hex")}`;
    const [a, b] = [new RateLimiter(await harness.store()), new RateLimiter(await harness.store())];
    await a.block(key, 1_500);
    const wait = await b.tryAcquire(key, { requests: 1 }, { requestsPerMinute: 100 });
    expect(wait).toBeGreaterThan(1_000);
    expect(wait).toBeLessThanOrEqual(1_500);
    const before = Date.now();
    await b.acquire(key, { requests: 1 }, { requestsPerMinute: 100 });
    expect(Date.now() - before).toBeGreaterThanOrEqual(wait - 50);
  });
});
