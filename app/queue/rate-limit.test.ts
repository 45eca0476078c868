import { describe, expect, it } from "vitest";
import { AdaptiveConcurrency, bucketsFor, MemoryBucketStore, RateLimiter, type Clock } from "./rate-limit";

/** Virtual time: sleeping moves the clock instead of waiting. */
function manualClock(start = 1_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

describe("RateLimiter on the in-process store", () => {
  it("grants a minute's allowance, then refills at the per-minute rate", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter(new MemoryBucketStore(clock), clock);
    const limits = { requestsPerMinute: 60 };
    for (let i = 0; i < 60; i++) expect(await limiter.tryAcquire("openai:acct", { requests: 1 }, limits)).toBe(0);
    expect(await limiter.tryAcquire("openai:acct", { requests: 1 }, limits)).toBe(1_000);
    clock.advance(999);
    expect(await limiter.tryAcquire("openai:acct", { requests: 1 }, limits)).toBe(1);
    clock.advance(1);
    expect(await limiter.tryAcquire("openai:acct", { requests: 1 }, limits)).toBe(0);
    // Another account has its own buckets.
    expect(await limiter.tryAcquire("openai:other", { requests: 1 }, limits)).toBe(0);
  });

  it("takes from every limited dimension or from none", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter(new MemoryBucketStore(clock), clock);
    const limits = { requestsPerMinute: 100, imagesPerMinute: 5 };
    expect(await limiter.tryAcquire("k", { requests: 1, images: 4 }, limits)).toBe(0);
    // 1 image left: this needs 2, so nothing is taken, not even the request.
    expect(await limiter.tryAcquire("k", { requests: 1, images: 2 }, limits)).toBe(12_000);
    for (let i = 0; i < 99; i++) expect(await limiter.tryAcquire("k", { requests: 1 }, limits)).toBe(0);
    expect(await limiter.tryAcquire("k", { requests: 1 }, limits)).toBeGreaterThan(0);
  });

  it("acquire sleeps until the tokens are there, and never grants more than the rate allows", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter(new MemoryBucketStore(clock), clock);
    const start = clock.now();
    for (let i = 0; i < 30; i++) await limiter.acquire("k", { images: 1 }, { imagesPerMinute: 10 });
    // 10 at once, then one every 6 s: the 30th comes 20 × 6 s later.
    expect(clock.now() - start).toBe(120_000);
  });

  it("callers waiting on one account take turns: one store read per grant, not one per waiter, in arrival order", async () => {
    const clock = manualClock();
    const memory = new MemoryBucketStore(clock);
    let takes = 0;
    const store = { take: (...args: Parameters<MemoryBucketStore["take"]>) => ((takes += 1), memory.take(...args)), block: memory.block.bind(memory) };
    const limiter = new RateLimiter(store, clock);
    const limits = { imagesPerMinute: 60 };
    await limiter.acquire("k", { images: 60 }, limits);
    takes = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, i) => limiter.acquire("k", { images: 1 }, limits).then(() => order.push(i))));
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // Each grant: one try that learns the wait, one after the sleep.
    expect(takes).toBe(40);
    expect(clock.now() - 1_000_000).toBe(20_000);
  });

  it("a caller that gives up while waiting its turn leaves the line moving", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter(new MemoryBucketStore(clock), clock);
    const limits = { imagesPerMinute: 60 };
    await limiter.acquire("k", { images: 60 }, limits);
    const controller = new AbortController();
    const first = limiter.acquire("k", { images: 1 }, limits);
    const quitter = limiter.acquire("k", { images: 1 }, limits, controller.signal);
    const last = limiter.acquire("k", { images: 1 }, limits);
    controller.abort(new Error("shutting down"));
    await expect(quitter).rejects.toThrow("shutting down");
    await Promise.all([first, last]);
  });

  it("a block holds every caller on the account until the retry-after", async () => {
    const clock = manualClock();
    const limiter = new RateLimiter(new MemoryBucketStore(clock), clock);
    await limiter.block("k", 5_000);
    expect(await limiter.tryAcquire("k", { requests: 1 }, { requestsPerMinute: 100 })).toBe(5_000);
    await limiter.block("k", 1_000);
    expect(await limiter.tryAcquire("k", { requests: 1 }, {})).toBe(5_000);
    clock.advance(5_000);
    expect(await limiter.tryAcquire("k", { requests: 1 }, { requestsPerMinute: 100 })).toBe(0);
  });

  it("refuses a cost that can never fit the limit", () => {
    expect(() => bucketsFor("k", { tokens: 5_000 }, { tokensPerMinute: 4_000 })).toThrow(RangeError);
  });
});

describe("AdaptiveConcurrency (AIMD)", () => {
  it("halves the window once per burst of 429s and pauses the account for the retry-after", async () => {
    const clock = manualClock();
    const aimd = new AdaptiveConcurrency({ initial: 8, max: 8 }, clock);
    const slots = await Promise.all(Array.from({ length: 8 }, () => aimd.acquire("acct")));
    // All 8 in-flight calls get a 429: one decrease, not eight.
    slots.forEach((slot) => slot.rateLimited(2_000));
    expect(aimd.limit("acct")).toBe(4);
    const before = clock.now();
    await aimd.acquire("acct");
    expect(clock.now() - before).toBe(2_000);
    // A second burst, from calls started after the first decrease, halves again.
    const later = await aimd.acquire("acct");
    later.rateLimited(0);
    expect(aimd.limit("acct")).toBe(2);
  });

  it("never lets more calls run than the window", async () => {
    const clock = manualClock();
    const aimd = new AdaptiveConcurrency({ initial: 2, max: 10 }, clock);
    const a = await aimd.acquire("acct");
    await aimd.acquire("acct");
    let thirdStarted = false;
    const third = aimd.acquire("acct").then((slot) => {
      thirdStarted = true;
      return slot;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(thirdStarted).toBe(false);
    a.failed();
    await third;
    expect(thirdStarted).toBe(true);
  });

  it("grows the window by one after a run of successes as long as the window, up to the maximum", async () => {
    const clock = manualClock();
    const aimd = new AdaptiveConcurrency({ initial: 2, max: 3 }, clock);
    const run = async (n: number) => {
      for (let i = 0; i < n; i++) (await aimd.acquire("acct")).succeeded();
    };
    await run(1);
    expect(aimd.limit("acct")).toBe(2);
    await run(1);
    expect(aimd.limit("acct")).toBe(3);
    await run(10);
    expect(aimd.limit("acct")).toBe(3);
    (await aimd.acquire("acct")).rateLimited(0);
    expect(aimd.limit("acct")).toBe(1);
    await run(1);
    expect(aimd.limit("acct")).toBe(2);
  });
});
