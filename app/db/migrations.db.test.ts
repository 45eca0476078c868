import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { createClient } from "@libsql/client";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema, postgresSchemaPath, sqliteSchemaPath } from "../../prisma/derive-postgres-schema";
import { createEmptyDatabase, ROOT, testDatabaseKind, type TestDatabase } from "../../test/support/databases";
import { migrate, MigrationChecksumError } from "./migrate.server";

const run = promisify(execFile);
const kind = testDatabaseKind();

/** The database's structure as plain, comparable text. */
async function describeSchema(database: TestDatabase): Promise<string[]> {
  if (database.kind === "sqlite") {
    const client = createClient({ url: database.url });
    const rows = await client.execute(
      `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' AND sql IS NOT NULL ORDER BY type, name`,
    );
    client.close();
    return rows.rows.map((r) => `${r.type} ${r.name}: ${String(r.sql).replace(/\s+/g, " ")}`);
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const columns = await client.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
  );
  const indexes = await client.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
  );
  const constraints = await client.query(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY conname`,
  );
  await client.end();
  return [
    ...columns.rows.map((r) => `column ${r.table_name}.${r.column_name} ${r.data_type} ${r.is_nullable} ${r.column_default}`),
    ...indexes.rows.map((r) => `index ${r.indexname}: ${r.indexdef}`),
    ...constraints.rows.filter((r) => !String(r.conname).startsWith("_prisma")).map((r) => `constraint ${r.conname}: ${r.def}`),
  ];
}

async function applyScript(database: TestDatabase, sql: string) {
  if (database.kind === "sqlite") {
    const client = createClient({ url: database.url });
    await client.executeMultiple(sql);
    client.close();
    return;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(sql);
  await client.end();
}

describe(`migrations (${kind})`, () => {
  it("the PostgreSQL schema is exactly what npm run db:schema derives from the SQLite one", () => {
    expect(readFileSync(postgresSchemaPath, "utf8")).toBe(derivePostgresSchema(readFileSync(sqliteSchemaPath, "utf8")));
  });

  it("applying the checked-in migrations yields exactly the schema Prisma would create from the model", async () => {
    const viaMigrations = await createEmptyDatabase(kind);
    const viaModel = await createEmptyDatabase(kind);
    try {
      await migrate(viaMigrations.url);
      const schema = kind === "postgres" ? postgresSchemaPath : sqliteSchemaPath;
      const { stdout } = await run(
        path.join(ROOT, "node_modules/.bin/prisma"),
        ["migrate", "diff", "--from-empty", "--to-schema-datamodel", schema, "--script"],
        { cwd: ROOT, env: { ...process.env, DATABASE_URL: viaModel.url } },
      );
      await applyScript(viaModel, stdout);
      const [a, b] = await Promise.all([describeSchema(viaMigrations), describeSchema(viaModel)]);
      expect(a.length).toBeGreaterThan(5);
      expect(a).toEqual(b);
    } finally {
      await viaMigrations.drop();
      await viaModel.drop();
    }
  });

  it("is idempotent and safe when several processes start at once", async () => {
    const database = await createEmptyDatabase(kind);
    try {
      const starts = await Promise.all(
        [1, 2, 3].map(() =>
          run(path.join(ROOT, "node_modules/.bin/tsx"), ["prisma/migrate.ts"], {
            cwd: ROOT,
            env: { ...process.env, DATABASE_URL: database.url },
          }),
        ),
      );
      const applied = starts.flatMap(({ stdout }) => (JSON.parse(stdout) as { applied: string[] }).applied);
      expect(applied.length).toBeGreaterThan(0);
      expect(applied).toEqual([...new Set(applied)]);
      expect(await migrate(database.url)).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    const database = await createEmptyDatabase(kind);
    try {
      await migrate(database.url);
      const { mkdtempSync, cpSync, appendFileSync, readdirSync } = await import("node:fs");
      const { tmpdir } = await import("node:os");
      const dir = mkdtempSync(path.join(tmpdir(), "pis-migrations-"));
      const source = kind === "postgres" ? path.join(ROOT, "prisma/postgres/migrations") : path.join(ROOT, "prisma/migrations");
      cpSync(source, dir, { recursive: true });
      const first = readdirSync(dir).filter((n) => !n.endsWith(".toml")).sort()[0]!;
      appendFileSync(path.join(dir, first, "migration.sql"), "\n-- edited\n");
      await expect(migrate(database.url, { dir })).rejects.toBeInstanceOf(MigrationChecksumError);
    } finally {
      await database.drop();
    }
  });
});
