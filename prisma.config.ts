import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { DEFAULT_DATABASE_URL, databaseKind } from "./app/db/database-url";

// The JavaScript schema engine with a driver adapter: migrations need no
// downloaded engine binaries (docs/decisions/003-prisma-javascript-engine.md).
const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const kind = databaseKind(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: kind === "postgres" ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: kind === "postgres" ? "prisma/postgres/migrations" : "prisma/migrations" },
  adapter: async () =>
    kind === "postgres" ? new PrismaPg({ connectionString: url }) : new PrismaLibSQL({ url }),
});
