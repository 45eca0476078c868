import { describe, expect, it } from "vitest";
import { latestSlot, tickJobId, tickSlot } from "./schedule";

describe("schedule slots", () => {
  const schedule = { startsAt: "2026-12-01T09:00:00Z", everyHours: 24 };

  it("has no slot before its first run", () => {
    expect(latestSlot(schedule, new Date("2026-12-01T08:59:59Z"))).toBeNull();
  });

  it("is the latest slot start, the same for every caller within the slot", () => {
    expect(latestSlot(schedule, new Date("2026-12-01T09:00:00Z"))?.toISOString()).toBe("2026-12-01T09:00:00.000Z");
    expect(latestSlot(schedule, new Date("2026-12-03T08:59:00Z"))?.toISOString()).toBe("2026-12-02T09:00:00.000Z");
    expect(latestSlot(schedule, new Date("2026-12-03T09:00:01Z"))?.toISOString()).toBe("2026-12-03T09:00:00.000Z");
  });

  it("names one tick job per tick slot, reusing a ring of ids", () => {
    const a = tickSlot(new Date("2026-12-01T09:00:10Z"), 60_000);
    const b = tickSlot(new Date("2026-12-01T09:00:59Z"), 60_000);
    expect(tickJobId(a, 60_000)).toBe(tickJobId(b, 60_000));
    expect(tickJobId(tickSlot(new Date("2026-12-01T09:01:00Z"), 60_000), 60_000)).not.toBe(tickJobId(a, 60_000));
    expect(tickJobId(tickSlot(new Date("2026-12-01T10:00:30Z"), 60_000), 60_000)).toBe(tickJobId(a, 60_000));
  });
});
