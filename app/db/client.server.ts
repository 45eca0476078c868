import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqlitePrismaClient } from "@pis/db-sqlite";
import { PrismaClient as PostgresPrismaClient } from "@pis/db-postgres";
import { databaseKind } from "./database-url";

/**
 * Both generated clients come from one model (prisma/postgres/schema.prisma is
 * derived from prisma/schema.prisma), so they expose the same API; the SQLite
 * one's types stand for both.
 */
export type Db = SqlitePrismaClient;
export type { Prisma } from "@pis/db-sqlite";

export async function connectDb(url: string): Promise<Db> {
  if (databaseKind(url) === "postgres") {
    const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    await client.$connect();
    return client as unknown as Db;
  }
  const client = new SqlitePrismaClient({ adapter: new PrismaLibSQL({ url }) });
  // The app and its worker share the file; wait for a lock rather than fail.
  await client.$queryRawUnsafe("PRAGMA busy_timeout = 10000");
  return client;
}
