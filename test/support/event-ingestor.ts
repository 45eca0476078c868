import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { onTestFinished } from "vitest";
import type { Db } from "~/db/client.server";
import type { DatabaseKind } from "~/db/database-url";
import { JournalReader, JournalWriter } from "~/experiments/ingest-journal.server";
import type { IngestLimits } from "~/experiments/ingest-limits";
import { EventIngestor, JournalLoader } from "~/experiments/ingest.server";
import type { PixelPayload } from "~/experiments/pixel-payload";
import { TMP } from "./databases";

/**
 * An ingestor and its loader on a journal in a temp directory, closed and
 * removed when the test ends; `flush()` loads what is journaled. Call inside a test.
 */
export function testIngestor(deps: { db: Db; dialect: DatabaseKind; limits: IngestLimits; now?: () => number }) {
  const dir = mkdtempSync(path.join(TMP, "journal-"));
  const writer = new JournalWriter({ dir });
  const ingestor = new EventIngestor({ db: deps.db, limits: deps.limits, journal: writer, now: deps.now });
  const loader = new JournalLoader({ db: deps.db, dialect: deps.dialect, reader: new JournalReader({ dir, writer: writer.owner }) });
  onTestFinished(async () => {
    await loader.close();
    ingestor.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    ingest: (payload: PixelPayload) => ingestor.ingest(payload),
    flush: () => loader.flush(),
  };
}
