import { describe, expect, it } from "vitest";
import { retryAfterMs } from "./errors.server";

const NOW = new Date("2026-11-26T12:00:00Z");

describe("retryAfterMs", () => {
  it("prefers retry-after-ms over retry-after", () => {
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250.4", "retry-after": "9" }), NOW)).toBe(251);
  });

  it("reads retry-after as seconds or as an HTTP date", () => {
    expect(retryAfterMs(new Headers({ "retry-after": "3" }), NOW)).toBe(3_000);
    expect(retryAfterMs(new Headers({ "retry-after": "Thu, 26 Nov 2026 12:00:42 GMT" }), NOW)).toBe(42_000);
    expect(retryAfterMs(new Headers({ "retry-after": "Thu, 26 Nov 2026 11:00:00 GMT" }), NOW)).toBe(0);
  });

  it("returns undefined when there is nothing usable", () => {
    expect(retryAfterMs(new Headers(), NOW)).toBeUndefined();
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }), NOW)).toBeUndefined();
    expect(retryAfterMs(undefined, NOW)).toBeUndefined();
  });
});
