/**
 * Key rules shared by every backend, so a key that works locally works on S3
 * and the reverse. Parts starting with "." are refused: local storage keeps
 * its in-progress files under such names.
 */
const KEY_PART = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 1024;

export class InvalidStorageKeyError extends Error {
  override name = "InvalidStorageKeyError";
  readonly retryable = false;
}

export function assertValidKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !key.split("/").every((part) => KEY_PART.test(part))) {
    throw new InvalidStorageKeyError(`Invalid storage key ${JSON.stringify(key)}`);
  }
}

/** A prefix is a key, optionally ending in "/"; the empty prefix (everything) is refused. */
export function assertValidPrefix(prefix: string): void {
  assertValidKey(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
}

const CONTENT_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  json: "application/json",
  txt: "text/plain",
};
const FALLBACK_CONTENT_TYPE = "application/octet-stream";

/**
 * Local files carry no headers, so the content type is the key's extension.
 * Both backends refuse a put whose declared type disagrees, so they always
 * answer `get` the same way.
 */
export function contentTypeForKey(key: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(key)?.[1]?.toLowerCase();
  return (extension && CONTENT_TYPES[extension]) ?? FALLBACK_CONTENT_TYPE;
}

export function assertContentTypeMatches(key: string, contentType: string): void {
  const expected = contentTypeForKey(key);
  if (contentType.toLowerCase() !== expected) {
    throw new InvalidStorageKeyError(`Storage key ${JSON.stringify(key)} implies ${expected}, but ${contentType} was given`);
  }
}
