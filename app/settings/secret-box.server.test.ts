import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret, SecretDecryptionError } from "./secret-box.server";

describe("provider keys sealed with AES-256-GCM", () => {
  const key = randomBytes(32);

  it("opens what it sealed, and never stores the plaintext", () => {
    const sealed = sealSecret(key, "shop1", "openai", "sk-live-abcdef1234");
    expect(sealed).not.toContain("sk-live");
    expect(openSecret(key, "shop1", "openai", sealed)).toBe("sk-live-abcdef1234");
  });

  it("uses a fresh nonce each time", () => {
    expect(sealSecret(key, "s", "openai", "same")).not.toBe(sealSecret(key, "s", "openai", "same"));
  });

  it("refuses a value altered, moved to another shop or name, or opened with another key", () => {
    const sealed = sealSecret(key, "shop1", "openai", "sk-live-abcdef1234");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    const altered = [...parts.slice(0, 3), body.toString("base64url")].join(".");
    expect(() => openSecret(key, "shop1", "openai", altered)).toThrow(SecretDecryptionError);
    expect(() => openSecret(key, "shop2", "openai", sealed)).toThrow(SecretDecryptionError);
    expect(() => openSecret(key, "shop1", "gemini", sealed)).toThrow(SecretDecryptionError);
    expect(() => openSecret(randomBytes(32), "shop1", "openai", sealed)).toThrow(SecretDecryptionError);
  });
});
