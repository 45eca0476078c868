/**
 * `npm run db:migration -- <name>`: after editing prisma/schema.prisma, writes
 * the next migration for SQLite and for PostgreSQL. It diffs the schema at
 * HEAD against the working copy (Prisma's `migrate dev` needs a Rust engine
 * we cannot download; see docs/decisions/003-prisma-javascript-engine.md).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { derivePostgresSchema, postgresSchemaPath, sqliteSchemaPath } from "./derive-postgres-schema";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <snake_case_name>");
  process.exit(2);
}

const root = path.resolve(import.meta.dirname, "..");
const { readFileSync } = await import("node:fs");
writeFileSync(postgresSchemaPath, derivePostgresSchema(readFileSync(sqliteSchemaPath, "utf8")));

const targets = [
  { schema: sqliteSchemaPath, dir: path.join(root, "prisma/migrations"), url: "file:./data/migration-scratch.sqlite" },
  { schema: postgresSchemaPath, dir: path.join(root, "prisma/postgres/migrations"), url: process.env.POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test" },
];

for (const target of targets) {
  const previous = path.join(tmpdir(), `previous-${path.basename(path.dirname(target.schema))}.prisma`);
  const relative = path.relative(root, target.schema);
  let before: string;
  try {
    before = execFileSync("git", ["show", `HEAD:${relative}`], { cwd: root, encoding: "utf8" });
  } catch {
    before = "";
  }
  writeFileSync(previous, before);
  const sql = execFileSync(
    path.join(root, "node_modules/.bin/prisma"),
    ["migrate", "diff", before ? "--from-schema-datamodel" : "--from-empty", ...(before ? [previous] : []), "--to-schema-datamodel", target.schema, "--script"],
    { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: target.url } },
  );
  const next = String(readdirSync(target.dir).filter((d) => /^\d{4}_/.test(d)).length + 1).padStart(4, "0");
  const folder = path.join(target.dir, `${next}_${name}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, "migration.sql"), sql);
  console.log(`wrote ${path.relative(root, folder)}/migration.sql`);
}
