/**
 * Why one batch item cannot be made, in words for the merchant. None is
 * retryable: the same product and preset would fail the same way.
 */
export class CandidateInputError extends Error {
  readonly retryable = false;
}

export class MissingProductPhotoError extends CandidateInputError {
  override name = "MissingProductPhotoError";
}

export class UnknownPresetError extends CandidateInputError {
  override name = "UnknownPresetError";
}

/** The provider lacks a capability the preset needs (e.g. showing products on people). */
export class PresetUnsupportedError extends CandidateInputError {
  override name = "PresetUnsupportedError";
}

/** The product photo's background is too busy to separate the product from it. */
export class ProductCutoutError extends CandidateInputError {
  override name = "ProductCutoutError";
}
