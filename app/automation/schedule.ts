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

/** One job id per tick slot: every worker may enqueue it, one runs it. */
export function tickJobId(slot: Date): string {
  return `scheduler-tick:${slot.toISOString()}`;
}
