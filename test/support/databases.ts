/**
 * Real databases for tests: a fresh SQLite file or a fresh PostgreSQL
 * database per test file, cloned from a migrated template, and emptied
 * between tests so no test sees another's rows.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Db } from "~/db/client.server";
import { migrate, migrationsDir, readMigrations } from "~/db/migrate.server";

export type TestDatabaseKind = "sqlite" | "postgres";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const TMP = path.join(ROOT, "test", ".tmp");
/** An existing database we may connect to in order to create and drop others. */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
/**
 * The migrated database PostgreSQL test databases are cloned from, named by a
 * hash of the migrations so a run never clones a stale one and concurrent
 * runs share it instead of rebuilding it under each other.
 */
export const POSTGRES_TEMPLATE = `pis_tpl_${createHash("sha256")
  .update(readMigrations(migrationsDir("postgres", ROOT)).map((m) => m.checksum).join(","))
  .digest("hex")
  .slice(0, 12)}`;

export function testDatabaseKind(): TestDatabaseKind {
  return process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
}

export function postgresUrl(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withPostgresAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Test database names carry their creation time, so a later run can drop the
 * ones an interrupted run left behind without touching a concurrent run's.
 */
function testDatabaseName(): string {
  return `pis_t_${Math.floor(Date.now() / 1000)}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

export function isAbandonedTestDatabase(name: string, nowMs: number, maxAgeMs = 60 * 60 * 1000): boolean {
  const created = /^pis_t_(\d+)_/.exec(name);
  return created !== null && nowMs - Number(created[1]) * 1000 > maxAgeMs;
}

export interface TestDatabase {
  kind: TestDatabaseKind;
  url: string;
  drop(): Promise<void>;
}

/** An empty, unmigrated database of the given kind. */
export async function createEmptyDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  const name = testDatabaseName();
  if (kind === "sqlite") {
    mkdirSync(TMP, { recursive: true });
    const file = path.join(TMP, `${name}.sqlite`);
    return {
      kind,
      url: `file:${file}`,
      drop: async () => {
        for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  await withPostgresAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  return { kind, url: postgresUrl(name), drop: () => dropPostgres(name) };
}

async function dropPostgres(name: string) {
  await withPostgresAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A migrated database: PostgreSQL ones are cloned from the template global setup migrated. */
export async function createMigratedDatabase(kind: TestDatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const database = await createEmptyDatabase("sqlite");
    await migrate(database.url);
    return database;
  }
  const name = testDatabaseName();
  await withPostgresAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${POSTGRES_TEMPLATE}"`));
  return { kind, url: postgresUrl(name), drop: () => dropPostgres(name) };
}

/** Deletes every row of every table but the migrations ledger. */
export async function emptyAllTables(db: Db, kind: TestDatabaseKind) {
  if (kind === "postgres") {
    const rows = await db.$queryRawUnsafe<{ tablename: string }[]>(
      `SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    if (rows.length) await db.$executeRawUnsafe(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(", ")} CASCADE`);
    return;
  }
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`,
  );
  await db.$executeRawUnsafe("PRAGMA foreign_keys = OFF");
  for (const { name } of rows) await db.$executeRawUnsafe(`DELETE FROM "${name}"`);
  await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
}

