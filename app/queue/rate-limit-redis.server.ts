import type { Redis } from "ioredis";
import type { BucketSpec, BucketStore } from "./rate-limit";

/**
 * One script call checks and takes every bucket, so concurrent workers can
 * never both spend the last tokens. It reads Redis's own clock, so workers on
 * hosts with skewed clocks still agree on refills.
 *
 * KEYS[1] is the block key, KEYS[2..] the buckets; ARGV holds capacity,
 * refill per ms and amount for each bucket in turn.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local blocked = tonumber(redis.call('GET', KEYS[1]) or '0')
if blocked > now then return blocked - now end
local tokens, stamps, wait = {}, {}, 0
for i = 2, #KEYS do
  local capacity, rate, amount = tonumber(ARGV[(i-2)*3+1]), tonumber(ARGV[(i-2)*3+2]), tonumber(ARGV[(i-2)*3+3])
  local h = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local level, at = tonumber(h[1]), tonumber(h[2])
  if level == nil then level, at = capacity, now end
  level = math.min(capacity, level + math.max(0, now - at) * rate)
  tokens[i], stamps[i] = level, math.max(now, at)
  if level < amount then wait = math.max(wait, 1, math.ceil((amount - level) / rate - 1e-9)) end
end
if wait > 0 then return wait end
for i = 2, #KEYS do
  local capacity, rate, amount = tonumber(ARGV[(i-2)*3+1]), tonumber(ARGV[(i-2)*3+2]), tonumber(ARGV[(i-2)*3+3])
  redis.call('HSET', KEYS[i], 'tokens', tostring(tokens[i] - amount), 'at', tostring(stamps[i]))
  -- A full bucket needs no row: after refilling it would read as full anyway.
  redis.call('PEXPIRE', KEYS[i], math.ceil(capacity / rate) + 1000)
end
return 0
`;

const BLOCK = `
local t = redis.call('TIME')
local untilMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
if untilMs > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], tostring(untilMs), 'PX', ARGV[1])
end
return 0
`;

export class RedisBucketStore implements BucketStore {
  constructor(
    private readonly redis: Redis,
    /** Namespace, e.g. "pis:rate". */
    private readonly prefix: string,
  ) {}

  async take(blockKey: string, buckets: BucketSpec[]): Promise<number> {
    const keys = [blockKey, ...buckets.map((b) => b.key)].map((key) => `${this.prefix}:${key}`);
    const args = buckets.flatMap((b) => [b.capacity, b.refillPerMs, b.amount].map(String));
    const wait = await this.redis.eval(TAKE, keys.length, ...keys, ...args);
    return Number(wait);
  }

  async block(blockKey: string, delayMs: number): Promise<void> {
    if (delayMs <= 0) return;
    await this.redis.eval(BLOCK, 1, `${this.prefix}:${blockKey}`, String(Math.ceil(delayMs)));
  }
}
