import { requireEnv } from "~/config/env.server";
import { databaseKind } from "~/db/database-url";
import { db } from "~/db.server";
import { DEFAULT_INGEST_LIMITS } from "./ingest-limits";
import { EventIngestor } from "./ingest.server";

declare global {
  // One ingestor per process: its group commit and rate limits only work if every request shares it.
  var __pisIngestor: EventIngestor | undefined;
}

export function eventIngestor(): EventIngestor {
  globalThis.__pisIngestor ??= new EventIngestor({
    db,
    dialect: databaseKind(requireEnv().DATABASE_URL),
    limits: DEFAULT_INGEST_LIMITS,
  });
  return globalThis.__pisIngestor;
}
