/**
 * prisma/schema.prisma (SQLite) is the one model we edit. This derives the
 * PostgreSQL schema from it so the two cannot drift; `db.test.ts` fails when
 * the checked-in copy differs from what this produces.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
export const sqliteSchemaPath = `${here}schema.prisma`;
export const postgresSchemaPath = `${here}postgres/schema.prisma`;

export function derivePostgresSchema(sqliteSchema: string): string {
  const derived = sqliteSchema
    .replace(/^\/\/ The source of truth[\s\S]*?\n\n/m, "")
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./unused.sqlite"', 'url      = "postgresql://unused"')
    .replace('output     = "../node_modules/@pis/db-sqlite"', 'output     = "../../node_modules/@pis/db-postgres"');
  return `// GENERATED from prisma/schema.prisma by \`npm run db:schema\`. Do not edit.\n\n${derived}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(postgresSchemaPath, derivePostgresSchema(readFileSync(sqliteSchemaPath, "utf8")));
  console.log(`wrote ${postgresSchemaPath}`);
}
