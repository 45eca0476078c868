import pg from "pg";
import { describe, it } from "vitest";
import { migrate } from "~/db/migrate.server";
import { startPrivatePostgres } from "./private-services";
import { restartMidBatch } from "./restart-scenario";

describe("PostgreSQL crashing and restarting under an embedded-engine batch", () => {
  it("completes the batch once PostgreSQL is back, every item once, paid once", async (context) => {
    const server = await startPrivatePostgres();
    if ("skip" in server) {
      console.warn(`[faults] PostgreSQL restart test skipped: ${server.skip}`);
      context.skip();
      return;
    }
    try {
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE "pis_faults"`);
      await admin.end();
      const url = server.databaseUrl("pis_faults");
      await migrate(url);
      // The cluster is private and removed whole, so the database needs no drop of its own.
      await restartMidBatch(server, { queueDriver: "embedded", database: { kind: "postgres", url, drop: async () => {} } });
    } finally {
      await server.close();
    }
  }, 240_000);
});
