/** The experiment page says when the worker, not the merchant, stopped a test. */
import { describe, expect, it } from "vitest";
import { automaticStopMessage } from "./experiment-page";

describe("automaticStopMessage", () => {
  it("names the limit for a test stopped at the longest duration, and says nothing for the merchant's own stop", () => {
    const startedAt = "2026-11-01T09:00:00.000Z";
    const stoppedAt = "2026-11-15T09:01:00.000Z";
    expect(automaticStopMessage({ stopReason: "max_days", startedAt, stoppedAt })).toMatch(/^This test stopped automatically after 14 days: it reached the longest test duration set in Settings\./);
    expect(automaticStopMessage({ stopReason: null, startedAt, stoppedAt })).toBeNull();
  });
});
