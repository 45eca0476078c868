/**
 * The automation run log (ScheduleRun rows): one row per thing automation
 * decided to do — a new product, a refresh, a schedule slot — under a unique
 * (shop, run key, slot). Inserting it is the claim: however many workers or
 * app instances reach the same slot, one insert wins and only it launches.
 * The row also keeps what happened, for the settings page.
 */
import type { Db } from "~/db/client.server";

export type RunOutcome = "started" | "launched" | "waiting" | "published" | "skipped" | "failed";

/** Runs with no natural time slot (a product's creation happens once) use this one. */
export const ONCE = new Date(0);

export type RunRow = NonNullable<Awaited<ReturnType<Db["scheduleRun"]["findUnique"]>>>;

function isUniqueViolation(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === "P2002" || /UNIQUE constraint failed|duplicate key value/i.test(message ?? "");
}

/** The new row when this caller won the slot; null when it was already claimed. */
export async function claimRun(db: Db, shopId: string, runKey: string, slotStart: Date): Promise<RunRow | null> {
  try {
    return await db.scheduleRun.create({ data: { shopId, scheduleId: runKey, slotStart, outcome: "started" } });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export async function findRun(db: Db, shopId: string, runKey: string, slotStart: Date): Promise<RunRow | null> {
  return db.scheduleRun.findUnique({ where: { shopId_scheduleId_slotStart: { shopId, scheduleId: runKey, slotStart } } });
}

export async function settleRun(db: Db, runId: string, outcome: RunOutcome, extra: { batchId?: string; reason?: string } = {}): Promise<void> {
  await db.scheduleRun.update({ where: { id: runId }, data: { outcome, ...(extra.batchId && { batchId: extra.batchId }), reason: extra.reason ?? null } });
}

export interface RunView {
  kind: "new-product" | "refresh" | "schedule";
  subject: string;
  outcome: string;
  reason: string | null;
  batchId: string | null;
  at: string;
}

/** The latest runs of a shop, newest first. */
export async function recentRuns(db: Db, shopId: string, take = 20): Promise<RunView[]> {
  const rows = await db.scheduleRun.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, take });
  return rows.map((row) => {
    const [prefix, ...rest] = row.scheduleId.split(":");
    const kind = prefix === "new-product" ? "new-product" : prefix === "refresh" ? "refresh" : "schedule";
    return {
      kind,
      subject: kind === "schedule" ? row.scheduleId.replace(/^schedule:/, "") : rest.join(":"),
      outcome: row.outcome,
      reason: row.reason,
      batchId: row.batchId,
      at: row.createdAt.toISOString(),
    };
  });
}
