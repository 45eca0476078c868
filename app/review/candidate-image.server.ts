/**
 * The bytes behind a signed image URL, read only through the shop the URL
 * was signed for: another shop's candidate is as missing as one that never existed.
 */
import type { Db } from "~/db/client.server";
import type { ObjectStorage } from "~/storage/types";
import type { ImageVariant } from "./image-urls.server";

export interface CandidateImage {
  body: Buffer;
  contentType: string;
  /** A download name without the shop or any path in it. */
  filename: string;
}

export async function candidateImage(
  deps: { db: Db; storage: Pick<ObjectStorage, "get"> },
  shopId: string,
  candidateId: string,
  variant: ImageVariant,
): Promise<CandidateImage | null> {
  const candidate = await deps.db.candidate.findFirst({
    where: { id: candidateId, shopId },
    select: { id: true, storageKey: true, thumbSmallKey: true, thumbLargeKey: true, format: true },
  });
  if (!candidate) return null;
  const key = { thumb: candidate.thumbSmallKey, large: candidate.thumbLargeKey, full: candidate.storageKey }[variant];
  // Belt and braces: keys are namespaced by shop, so a row pointing elsewhere is never served.
  if (!key.startsWith(`shops/${shopId}/`)) return null;
  const object = await deps.storage.get(key);
  if (!object) return null;
  const extension = /\.([a-z0-9]+)$/i.exec(key)?.[1] ?? candidate.format;
  return { body: object.body, contentType: object.contentType, filename: `candidate-${candidate.id}-${variant}.${extension}` };
}
