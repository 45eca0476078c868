import { describe, expect, it } from "vitest";
import { estimateDuration } from "./duration";

describe("estimateDuration", () => {
  it("is bound by the slower of the image and request rates", () => {
    // 180 images at 50/min = 216 s; 60 calls at 100/min = 36 s.
    expect(estimateDuration({ images: 180, calls: 60, imagesPerMinute: 50, requestsPerMinute: 100 })).toBe(216);
    // One image per call: 180 calls at 20/min = 540 s.
    expect(estimateDuration({ images: 180, imagesPerMinute: 50, requestsPerMinute: 20 })).toBe(540);
  });

  it("accounts for concurrency when call latency is known", () => {
    // 60 calls, 4 at a time, 30 s each = 15 rounds = 450 s, slower than the 216 s the rates allow.
    expect(estimateDuration({ images: 180, calls: 60, imagesPerMinute: 50, concurrency: 4, secondsPerCall: 30 })).toBe(450);
    expect(estimateDuration({ images: 180, calls: 60, imagesPerMinute: 50, concurrency: 60, secondsPerCall: 30 })).toBe(216);
  });

  it("rounds up to whole seconds and is zero with no limits or no work", () => {
    expect(estimateDuration({ images: 7, imagesPerMinute: 60 })).toBe(7);
    expect(estimateDuration({ images: 1, imagesPerMinute: 7 })).toBe(9);
    expect(estimateDuration({ images: 100 })).toBe(0);
    expect(estimateDuration({ images: 0, imagesPerMinute: 5 })).toBe(0);
    expect(() => estimateDuration({ images: 1, requestsPerMinute: 0 })).toThrow(/requestsPerMinute must be positive/);
  });
});
