/**
 * The publish use cases wired for the app's routes: the merchant's request is
 * recorded at once (so the page shows it), the work runs as jobs on the
 * shared queue, paced by workers under the shop's Admin API throttle.
 */
import { controlDeps } from "~/batches/services.server";
import { db } from "~/db.server";
import { enqueuePublish, enqueueUndo } from "./jobs";
import { PublishRefusedError, type PublicationView } from "./publication";
import { requestPublication, requestUndoPublication, toView } from "./publish.server";

export type { PublicationView } from "./publication";

export type PublishRequestOutcome =
  | { candidateId: string; ok: true; publication: PublicationView }
  | { candidateId: string; ok: false; code: string; reason: string };

async function each(
  candidateIds: string[],
  request: (candidateId: string) => Promise<{ publication: PublicationView; needsRun: boolean }>,
  enqueue: (candidateId: string) => Promise<void>,
): Promise<PublishRequestOutcome[]> {
  const outcomes: PublishRequestOutcome[] = [];
  for (const candidateId of [...new Set(candidateIds)]) {
    try {
      const { publication, needsRun } = await request(candidateId);
      if (needsRun) await enqueue(candidateId);
      outcomes.push({ candidateId, ok: true, publication });
    } catch (error) {
      if (!(error instanceof PublishRefusedError)) throw error;
      outcomes.push({ candidateId, ok: false, code: error.code, reason: error.message });
    }
  }
  return outcomes;
}

/**
 * Publishes approved candidates to their products' media. Candidates of another
 * shop answer like missing ones (CANDIDATE_NOT_FOUND). `makeFeatured` moves
 * each image to the first position of its product's gallery.
 */
export function requestPublish(shopId: string, candidateIds: string[], options: { makeFeatured: boolean }): Promise<PublishRequestOutcome[]> {
  return each(
    candidateIds,
    (candidateId) => requestPublication(db, { shopId, candidateId, makeFeatured: options.makeFeatured }),
    (candidateId) => enqueuePublish(controlDeps.queue, shopId, candidateId),
  );
}

/** Removes published candidates' media from their products and restores each gallery's order. */
export function requestUndo(shopId: string, candidateIds: string[]): Promise<PublishRequestOutcome[]> {
  return each(
    candidateIds,
    (candidateId) => requestUndoPublication(db, { shopId, candidateId }),
    (candidateId) => enqueueUndo(controlDeps.queue, shopId, candidateId),
  );
}

/** Keyed by candidate id; candidates never published (or another shop's) are absent. */
export async function publicationStatuses(shopId: string, candidateIds: string[]): Promise<Record<string, PublicationView>> {
  const rows = await db.publication.findMany({ where: { shopId, candidateId: { in: [...new Set(candidateIds)] } } });
  return Object.fromEntries(rows.map((row) => [row.candidateId, toView(row)]));
}
