/**
 * Applies the checked-in SQL migrations, recording them in Prisma's own
 * `_prisma_migrations` table so `prisma migrate status` agrees with us.
 *
 * Why not `prisma migrate deploy`: Prisma's JavaScript schema engine cannot
 * read PostgreSQL catalogs through @prisma/adapter-pg (prisma/orm#27403,
 * "Column type 'name' could not be deserialized"), and the Rust engine cannot
 * be downloaded here. Applying plain SQL files is all `deploy` does anyway.
 * See docs/decisions/003-prisma-javascript-engine.md.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "@libsql/client";
import pg from "pg";
import { databaseKind, type DatabaseKind } from "./database-url";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(kind: DatabaseKind, root = process.cwd()): string {
  return kind === "postgres"
    ? path.join(root, "prisma", "postgres", "migrations")
    : path.join(root, "prisma", "migrations");
}

export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const LEDGER_SQLITE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;
const LEDGER_POSTGRES = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;

export class MigrationChecksumError extends Error {
  override name = "MigrationChecksumError";
}

function pending(all: Migration[], applied: Map<string, string>): Migration[] {
  for (const m of all) {
    const sum = applied.get(m.name);
    if (sum !== undefined && sum !== m.checksum) {
      throw new MigrationChecksumError(
        `Migration ${m.name} was edited after it was applied (checksum differs). Write a new migration instead.`,
      );
    }
  }
  return all.filter((m) => !applied.has(m.name));
}

/** Brings the database at `url` up to date. Safe to call from several processes at once. */
export async function migrate(url: string, options: { dir?: string } = {}): Promise<string[]> {
  const kind = databaseKind(url);
  const migrations = readMigrations(options.dir ?? migrationsDir(kind));
  return kind === "postgres" ? migratePostgres(url, migrations) : migrateSqlite(url, migrations);
}

async function migrateSqlite(url: string, migrations: Migration[]): Promise<string[]> {
  const file = url.slice("file:".length).split("?")[0] ?? "";
  if (file && file !== ":memory:") {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }
  const client = createClient({ url });
  try {
    // Wait for another starting process's lock instead of failing at once.
    await client.execute("PRAGMA busy_timeout = 10000");
    // WAL lets the app and its worker read while the other writes.
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute(LEDGER_SQLITE);
    const done: string[] = [];
    // A write transaction (BEGIN IMMEDIATE) takes the lock first, so two
    // starting processes cannot both decide the same migration is pending.
    const tx = await client.transaction("write");
    try {
      const rows = await tx.execute(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
      );
      const applied = new Map(rows.rows.map((r) => [String(r.migration_name), String(r.checksum)]));
      for (const m of pending(migrations, applied)) {
        await tx.executeMultiple(m.sql);
        await tx.execute({
          sql: `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count, started_at)
                VALUES (?, ?, current_timestamp, ?, 1, current_timestamp)`,
          args: [randomUUID(), m.checksum, m.name],
        });
        done.push(m.name);
      }
      await tx.commit();
    } finally {
      tx.close();
    }
    return done;
  } finally {
    client.close();
  }
}

// Any constant works; it only has to be the same in every process.
const MIGRATION_LOCK_KEY = 724_001;

async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(LEDGER_POSTGRES);
    const rows = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
    );
    const applied = new Map(rows.rows.map((r) => [r.migration_name, r.checksum]));
    const done: string[] = [];
    for (const m of pending(migrations, applied)) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
