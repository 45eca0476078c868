import { afterAll, beforeAll, beforeEach } from "vitest";
import { connectDb, type Db } from "~/db/client.server";
import { createMigratedDatabase, emptyAllTables, testDatabaseKind, type TestDatabase } from "./databases";

/**
 * One migrated database for this test file, emptied before each test unless
 * the tests keep apart by other means (each in its own shop, say).
 * Use the returned getters inside tests (they are set in beforeAll).
 */
export function useTestDatabase({ emptyBeforeEach = true }: { emptyBeforeEach?: boolean } = {}) {
  const kind = testDatabaseKind();
  let database: TestDatabase | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    database = await createMigratedDatabase(kind);
    db = await connectDb(database.url);
  });
  beforeEach(async () => {
    if (emptyBeforeEach) await emptyAllTables(db!, kind);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });
  return {
    kind,
    get db(): Db {
      if (!db) throw new Error("useTestDatabase: the database is ready only inside tests and hooks");
      return db;
    },
    get url(): string {
      if (!database) throw new Error("useTestDatabase: the database is ready only inside tests and hooks");
      return database.url;
    },
  };
}
