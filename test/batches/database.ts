import { afterAll, beforeAll } from "vitest";
import { connectDb, type Db } from "~/db/client.server";
import { createMigratedDatabase, testDatabaseKind, type TestDatabase } from "../support/databases";

/**
 * One migrated database per test file, not emptied between tests: every batch
 * test works in its own shop (and queue namespace), so tests cannot see each
 * other's rows.
 */
export function batchTestDatabase() {
  const kind = testDatabaseKind();
  let database: TestDatabase | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    database = await createMigratedDatabase(kind);
    db = await connectDb(database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });
  return {
    kind,
    get db(): Db {
      if (!db) throw new Error("batchTestDatabase: the database is ready only inside tests and hooks");
      return db;
    },
  };
}
