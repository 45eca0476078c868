export interface DurationInput {
  images: number;
  /** Provider calls; defaults to one call per image. */
  calls?: number;
  /** The account's images-per-minute limit; omit when there is none. */
  imagesPerMinute?: number;
  requestsPerMinute?: number;
  /** Calls in flight at once; only bounds the time together with secondsPerCall. */
  concurrency?: number;
  /** Typical latency of one call. */
  secondsPerCall?: number;
}

/**
 * The least time the account's limits allow, in whole seconds: the slower of
 * the image and request rates, and, when latency is known, of working
 * through the calls `concurrency` at a time. Providers refill rate limits
 * continuously, so a rate of R per minute means N items take N / R minutes.
 */
export function estimateDuration(input: DurationInput): number {
  const { images, calls = images, imagesPerMinute, requestsPerMinute, concurrency, secondsPerCall } = input;
  if (!Number.isInteger(images) || images < 0) throw new RangeError(`images must be a non-negative integer, got ${images}`);
  if (!Number.isInteger(calls) || calls < 0) throw new RangeError(`calls must be a non-negative integer, got ${calls}`);
  for (const [name, value] of Object.entries({ imagesPerMinute, requestsPerMinute, concurrency, secondsPerCall })) {
    if (value !== undefined && !(value > 0)) throw new RangeError(`${name} must be positive, got ${value}`);
  }

  const bounds = [0];
  if (imagesPerMinute !== undefined) bounds.push((images / imagesPerMinute) * 60);
  if (requestsPerMinute !== undefined) bounds.push((calls / requestsPerMinute) * 60);
  if (secondsPerCall !== undefined) bounds.push(Math.ceil(calls / (concurrency ?? 1)) * secondsPerCall);
  return Math.ceil(Math.max(...bounds));
}
