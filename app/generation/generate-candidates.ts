/**
 * The contract between the job system and the generation engine: one batch
 * item in, stored candidate images out. The implementation lives in
 * generate-candidates.server.ts.
 */
import type { ProductFacts } from "~/catalog/types";
import type { Background, ImageFormat, Quality } from "./provider";

export interface GenerationOptions {
  size: string;
  quality: Quality;
  format: ImageFormat;
  background: Background;
  /** Send the product photo as the first reference image. */
  useReference: boolean;
  brandKit: boolean;
  /** Repaint a region of an existing candidate instead of making a new image. */
  edit?: RegionEdit;
}

/**
 * A merchant's region edit: the pixels the mask leaves transparent are
 * repainted following the instruction; the rest of the image stays. Keys are
 * in the shop's storage namespace (checked again before use).
 */
export interface RegionEdit {
  sourceKey: string;
  maskKey: string;
  instruction: string;
  /** The source image's alt text: the edit changes a detail, not what the image shows. */
  altText: string | null;
}

export interface GenerateCandidatesInput {
  shopId: string;
  /** A hash of the shop, for providers' abuse monitoring; never the domain. */
  safetyIdentifier: string;
  product: ProductFacts;
  presetId: string;
  /** Which candidate slot of the batch this is; drives variety with the seed. */
  candidateIndex: number;
  candidatesPerProduct: number;
  seed: number;
  options: GenerationOptions;
  /** Where stored files go: candidates/<itemId>/… under the shop's namespace. */
  itemId: string;
  signal?: AbortSignal;
  /**
   * Awaited as soon as the provider has answered, before its images are
   * decoded or stored: from then on the call is paid for, whatever becomes of
   * the images. A rejection fails the item like any other error.
   */
  onAnswer?(call: AnsweredCall): Promise<void>;
}

/** A provider call that answered, and what the provider charged for it. */
export interface AnsweredCall {
  /** From the provider's usage; 0 for the studio. */
  costMicros: number;
  providerId: string;
  model: string;
}

export interface GeneratedCandidate {
  ordinal: number;
  storageKey: string;
  thumbSmallKey: string;
  thumbLargeKey: string;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  perceptualHash: string;
  fidelityScore: number | null;
  fidelityFlagged: boolean;
  promptHash: string;
  altText: string;
}

export interface GenerateCandidatesResult {
  candidates: GeneratedCandidate[];
  /** What the provider charged for this call, from its usage; 0 for the studio. */
  costMicros: number;
  providerId: string;
  model: string;
}
