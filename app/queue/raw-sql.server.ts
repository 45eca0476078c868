import type { DatabaseKind } from "~/db/database-url";

/**
 * The queue and the buckets write with single raw statements, not Prisma's
 * model writes: on SQLite those run in implicit transactions that, across
 * two connections writing at once, stalled ~30 s and then failed with P1008
 * (measured on @prisma/adapter-libsql 6.19), while plain UPDATEs from four
 * connections ran ~150 writes/s without an error.
 */

/** A timestamp parameter in the form Prisma stores, so raw writes and Prisma reads and filters agree. */
export function timestamp(dialect: DatabaseKind, date: Date): Date | string {
  // Prisma keeps SQLite DateTimes as ISO text with "+00:00"; text comparison is only chronological within one format.
  return dialect === "sqlite" ? date.toISOString().replace("Z", "+00:00") : date;
}
