import { migrate } from "~/db/migrate.server";
import { POSTGRES_TEMPLATE, postgresUrl, withPostgresAdmin } from "./databases";

/**
 * Once per run: the migrated PostgreSQL template every test database is
 * cloned from (cloning is ~50 ms; migrating each one would be slower).
 */
export default async function setup() {
  await withPostgresAdmin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${POSTGRES_TEMPLATE}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${POSTGRES_TEMPLATE}"`);
  });
  await migrate(postgresUrl(POSTGRES_TEMPLATE));
  // Databases left behind by an interrupted run.
  await withPostgresAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'pis_t\\_%'`);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
