/**
 * Provider API keys at rest: AES-256-GCM with a random 96-bit nonce per
 * value and the shop id and key name as associated data, so a ciphertext
 * copied to another shop's row (or another name) fails to open.
 * Stored as "v1.<nonce>.<tag>.<ciphertext>", base64url parts.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export class SecretDecryptionError extends Error {
  override name = "SecretDecryptionError";
}

function aad(shopId: string, name: string): Buffer {
  return Buffer.from(`pis-secret:${shopId}:${name}`, "utf8");
}

export function sealSecret(key: Buffer, shopId: string, name: string, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(aad(shopId, name));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", nonce, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function openSecret(key: Buffer, shopId: string, name: string, sealed: string): string {
  const [version, nonce, tag, body] = sealed.split(".");
  if (version !== "v1" || nonce === undefined || tag === undefined || body === undefined) {
    throw new SecretDecryptionError("Unknown secret format");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"));
    decipher.setAAD(aad(shopId, name));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    // Wrong key, tampered value or moved row: never say which, never echo the value.
    throw new SecretDecryptionError("The stored secret could not be decrypted (the encryption key changed or the value was altered)");
  }
}

/** What the browser may see of a key: that it is set, and its last four characters. */
export function lastFour(plaintext: string): string {
  return plaintext.slice(-4);
}
