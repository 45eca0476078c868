import { requireEnv } from "~/config/env.server";
import { connectDb, type Db } from "~/db/client.server";
import { migrate } from "~/db/migrate.server";

declare global {
  // Survives Vite's dev-server module reloads so we keep one pool.
  var __pisDb: Promise<Db> | undefined;
}

async function open(): Promise<Db> {
  const { DATABASE_URL } = requireEnv();
  // First start creates and migrates the database; later starts are a no-op.
  await migrate(DATABASE_URL);
  return connectDb(DATABASE_URL);
}

globalThis.__pisDb ??= open();

export const db: Db = await globalThis.__pisDb;
