import { createHash } from "node:crypto";
import path from "node:path";
import { requireEnv } from "~/config/env.server";
import { databaseKind } from "~/db/database-url";
import { db } from "~/db.server";
import { JournalReader, JournalWriter } from "./ingest-journal.server";
import { DEFAULT_INGEST_LIMITS } from "./ingest-limits";
import { EventIngestor, JournalLoader } from "./ingest.server";

export interface Loading {
  /** Loads what is journaled so far, then stops. */
  stop(): Promise<void>;
}

declare global {
  // One per process: the journal, its loader and the rate limits only work if every request shares them.
  var __pisIngestion: { ingestor: EventIngestor; stop(): Promise<void> } | undefined;
}

/**
 * One directory per database, so events are only ever loaded into the database
 * they were accepted for; named by a hash, so its credentials are not written to disk.
 */
function journalDir(): string {
  const env = requireEnv();
  return path.join(env.INGEST_JOURNAL_DIR, createHash("sha256").update(env.DATABASE_URL).digest("hex").slice(0, 24));
}

/**
 * The process's pixel ingestion. The first call decides where its journal is
 * loaded: by `startLoader` (server.mjs runs it in a thread) or, without one
 * (`npm run dev`), in this thread.
 */
export function pixelIngestion(startLoader: (writerOwner: string) => Loading = loadJournalHere) {
  if (!globalThis.__pisIngestion) {
    const writer = new JournalWriter({ dir: journalDir() });
    const ingestor = new EventIngestor({ db, limits: DEFAULT_INGEST_LIMITS, journal: writer });
    const loading = startLoader(writer.owner);
    globalThis.__pisIngestion = {
      ingestor,
      async stop() {
        try {
          await loading.stop();
        } finally {
          ingestor.close();
        }
      },
    };
  }
  return globalThis.__pisIngestion;
}

export function eventIngestor(): EventIngestor {
  return pixelIngestion().ingestor;
}

/** Loads the writer's journal (and any a stopped process left) into the database from this thread until stopped. */
export function loadJournalHere(writerOwner: string): Loading {
  const loader = new JournalLoader({
    db,
    dialect: databaseKind(requireEnv().DATABASE_URL),
    reader: new JournalReader({ dir: journalDir(), writer: writerOwner }),
  });
  loader.start();
  return { stop: () => loader.close() };
}
