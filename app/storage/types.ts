/**
 * Where image bytes live: local files (embedded default) or S3-compatible
 * object storage. Keys always start with the shop's namespace, so one shop's
 * files can be listed and erased without touching another's.
 */
export interface StoredObject {
  key: string;
  bytes: number;
  contentType: string;
}

export interface ObjectStorage {
  put(key: string, body: Buffer, contentType: string): Promise<StoredObject>;
  /** null when the key does not exist. */
  get(key: string): Promise<{ body: Buffer; contentType: string } | null>;
  delete(key: string): Promise<void>;
  /** Erases everything under a prefix (shop/redact). */
  deletePrefix(prefix: string): Promise<number>;
}

/** `shops/<shop-id>/…`; the shop id is our database id, never a domain a user typed. */
export function shopKey(shopId: string, ...parts: string[]): string {
  for (const part of [shopId, ...parts]) {
    if (!/^[A-Za-z0-9._-]+$/.test(part) || part === "." || part === "..") {
      throw new Error(`Unsafe storage key part: ${JSON.stringify(part)}`);
    }
  }
  return ["shops", shopId, ...parts].join("/");
}
