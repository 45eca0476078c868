/**
 * A merchant's image was refused. Never retryable: the same bytes will fail
 * the same way, so the job system must surface `message` instead of retrying.
 */
export type ImageInputErrorCode =
  | "empty"
  | "too_many_bytes"
  | "too_many_pixels"
  | "unsupported_format"
  | "svg_refused"
  | "corrupt";

export class ImageInputError extends Error {
  readonly code: ImageInputErrorCode;
  readonly retryable = false;

  constructor(code: ImageInputErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ImageInputError";
    this.code = code;
  }
}
