import { migrate } from "~/db/migrate.server";
import { isAbandonedTestDatabase, POSTGRES_TEMPLATE, postgresUrl, withPostgresAdmin } from "./databases";

/**
 * Once per run: the migrated PostgreSQL template every test database is
 * cloned from (cloning is ~50 ms; migrating each one would be slower).
 */
export default async function setup() {
  const exists = await withPostgresAdmin(async (client) =>
    Boolean((await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [POSTGRES_TEMPLATE])).rowCount),
  );
  if (!exists) {
    // Built under a private name and renamed, so a concurrent run never clones a half-migrated one.
    const building = `${POSTGRES_TEMPLATE}_${process.pid}`;
    await withPostgresAdmin((client) => client.query(`CREATE DATABASE "${building}"`));
    await migrate(postgresUrl(building));
    await withPostgresAdmin(async (client) => {
      try {
        await client.query(`ALTER DATABASE "${building}" RENAME TO "${POSTGRES_TEMPLATE}"`);
      } catch {
        // Another run finished first; theirs is identical.
        await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      }
    });
  }
  // Databases left behind by an interrupted run (an hour old at least, so a
  // run going on beside this one keeps its own).
  await withPostgresAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'pis_t\\_%'`);
    for (const { datname } of rows) {
      if (isAbandonedTestDatabase(datname, Date.now())) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
}
