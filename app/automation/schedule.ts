/** Schedule arithmetic, kept pure so every instance computes the same slots. */
import type { Schedule } from "~/settings/shop-settings";

const HOUR_MS = 60 * 60 * 1000;

/**
 * The start of the schedule's most recent slot at `now`, or null before its
 * first. Only the latest slot runs: after downtime the schedule resumes with
 * one run, never a backlog of missed ones.
 */
export function latestSlot(schedule: Pick<Schedule, "startsAt" | "everyHours">, now: Date): Date | null {
  const start = Date.parse(schedule.startsAt);
  if (Number.isNaN(start) || now.getTime() < start) return null;
  const every = schedule.everyHours * HOUR_MS;
  return new Date(start + Math.floor((now.getTime() - start) / every) * every);
}

/** The scheduler tick slot containing `at`. */
export function tickSlot(at: Date, tickMs: number): Date {
  return new Date(Math.floor(at.getTime() / tickMs) * tickMs);
}

/** Tick job ids are reused round a ring of this many, so finished ticks never pile up in the queue. */
export const TICK_RING = 60;

/**
 * One job id per tick slot, from a ring: every worker may enqueue the next
 * slot's id, and while it waits the others' enqueues are no-ops. Reusing ids
 * keeps the embedded queue's table from growing by one row per tick forever.
 */
export function tickJobId(slot: Date, tickMs: number): string {
  return `scheduler-tick:${Math.floor(slot.getTime() / tickMs) % TICK_RING}`;
}
