/**
 * The publication step machine, shared by the use cases and the views.
 *
 *   requested → staged → attached → ready → featured (only when asked) → published
 *
 * `step` is the last step that completed; a retry resumes after it. `status`
 * is what the merchant sees.
 */
export const PUBLICATION_STEPS = ["requested", "staged", "attached", "ready", "featured"] as const;
export type PublicationStep = (typeof PUBLICATION_STEPS)[number];

export type PublicationStatus = "publishing" | "published" | "failed" | "undoing" | "undone" | "undo_failed";

export function stepReached(current: string, wanted: PublicationStep): boolean {
  return PUBLICATION_STEPS.indexOf(current as PublicationStep) >= PUBLICATION_STEPS.indexOf(wanted);
}

/** What routes and other use cases read about one candidate's publication. */
export interface PublicationView {
  candidateId: string;
  productGid: string;
  status: PublicationStatus;
  step: PublicationStep;
  makeFeatured: boolean;
  shopifyMediaId: string | null;
  /** Shopify's code (MediaErrorCode, FilesErrorCode…) or ours, when the last attempt failed. */
  errorCode: string | null;
  /** A sentence for the merchant, with Shopify's reason when it gave one. */
  errorMessage: string | null;
  publishedAt: Date | null;
  undoneAt: Date | null;
}

/** Publishing or undoing cannot go on and retrying will not help; the reason is for the merchant. */
export class PublishRefusedError extends Error {
  override name = "PublishRefusedError";
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * The file name we upload, unique per candidate. Shopify keeps it in the CDN
 * URL (adding `_<uuid>` on a clash), which lets a retry recognise media it
 * attached before its answer was lost.
 */
export function publicationFileName(candidateId: string, format: string): string {
  return `pis-${candidateId}.${format === "jpeg" ? "jpg" : format}`;
}

export function isOurFile(fileName: string | null, ourFileName: string): boolean {
  if (!fileName) return false;
  const stem = ourFileName.replace(/\.[^.]+$/, "");
  return fileName === ourFileName || fileName.startsWith(`${stem}.`) || fileName.startsWith(`${stem}_`);
}
