import { describe, expect, it } from "vitest";
import { parseEnv } from "~/config/env.server";
import { ProviderError } from "~/generation/errors";
import type { GenerateCandidatesInput, GenerateCandidatesResult } from "~/generation/generate-candidates";
import { AdaptiveConcurrency, MemoryBucketStore, RateLimiter } from "~/queue/rate-limit";
import { accountLimits, paced } from "./provider-pacing.server";

const run = { shopId: "shop", providerId: "openai", model: "gpt-image-1.5" };
const input = { signal: new AbortController().signal } as GenerateCandidatesInput;
const result = { costMicros: 1, candidates: [] } as unknown as GenerateCandidatesResult;

function parts(imagesPerMinute: number, inFlight = 16) {
  const limiter = new RateLimiter(new MemoryBucketStore());
  const concurrency = new AdaptiveConcurrency({ initial: inFlight, max: inFlight });
  return { limiter, concurrency, limitsFor: (id: string) => (id === "openai" ? { imagesPerMinute } : null) };
}

describe("paced provider calls", () => {
  it("spaces calls by the account's bucket once its minute's allowance is spent", async () => {
    const pacing = parts(120);
    // Spend the first minute's burst so every call waits for a refill: 120/min is one per 500 ms.
    await pacing.limiter.acquire("openai", { images: 120 }, { imagesPerMinute: 120 });
    const started: number[] = [];
    const generate = paced(async () => {
      started.push(Date.now());
      return result;
    }, pacing);
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => generate(run, input)));
    started.sort((a, b) => a - b);
    started.forEach((at, i) => expect(at - t0).toBeGreaterThanOrEqual((i + 1) * 500 - 20));
    expect(started.at(-1)! - t0).toBeLessThan(5 * 500 + 400);
  });

  it("after a 429, no call on the account goes out before its retry-after, and in-flight calls halve", async () => {
    const pacing = parts(6000, 8);
    const started: number[] = [];
    let calls = 0;
    const generate = paced(async () => {
      calls += 1;
      started.push(Date.now());
      if (calls === 1) throw new ProviderError("rate_limited", "429", { provider: "openai", retryAfterMs: 800 });
      return result;
    }, pacing);
    const first = await generate(run, input).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(ProviderError);
    expect(pacing.concurrency.limit("openai")).toBe(4);
    await Promise.all(Array.from({ length: 3 }, () => generate(run, input)));
    for (const at of started.slice(1)) expect(at - started[0]!).toBeGreaterThanOrEqual(780);
  });

  it("leaves providers without limits (the studio) unpaced", async () => {
    const pacing = parts(1);
    await pacing.limiter.acquire("openai", { images: 1 }, { imagesPerMinute: 1 });
    const t0 = Date.now();
    await paced(async () => result, pacing)({ ...run, providerId: "studio" }, input);
    expect(Date.now() - t0).toBeLessThan(100);
  });
});

describe("account limits from the environment", () => {
  const base = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://app.example", SCOPES: "read_products" };

  it("defaults OpenAI to tier 1's 5 images a minute, with no request limit", () => {
    expect(accountLimits(parseEnv(base))("openai")).toEqual({ imagesPerMinute: 5 });
    expect(accountLimits(parseEnv(base))("studio")).toBeNull();
  });

  it("takes the configured limits and refuses nonsense", () => {
    const env = parseEnv({ ...base, OPENAI_IMAGES_PER_MINUTE: "250", OPENAI_REQUESTS_PER_MINUTE: "500", GEMINI_IMAGES_PER_MINUTE: "20" });
    expect(accountLimits(env)("openai")).toEqual({ imagesPerMinute: 250, requestsPerMinute: 500 });
    expect(accountLimits(env)("gemini")).toEqual({ imagesPerMinute: 20 });
    expect(() => parseEnv({ ...base, OPENAI_IMAGES_PER_MINUTE: "0" })).toThrow(/OPENAI_IMAGES_PER_MINUTE/);
    expect(() => parseEnv({ ...base, GEMINI_IMAGES_PER_MINUTE: "lots" })).toThrow(/GEMINI_IMAGES_PER_MINUTE/);
  });
});
