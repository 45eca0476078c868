import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  SCOPES: "read_products, write_products",
};

describe("parseEnv", () => {
  it("accepts a complete environment and applies the documented defaults", () => {
    const env = parseEnv(valid);
    expect(env.SCOPES).toEqual(["read_products", "write_products"]);
    expect(env.DATABASE_URL).toBe("file:./data/app.sqlite");
    expect(env.SHOPIFY_SHOP_ORIGIN_OVERRIDES).toBeUndefined();
  });

  it("reads the settings encryption key as 32 bytes from base64 or hex, and refuses any other length", () => {
    const key = Buffer.alloc(32, 7);
    expect(parseEnv({ ...valid, SETTINGS_ENCRYPTION_KEY: key.toString("base64") }).SETTINGS_ENCRYPTION_KEY).toEqual(key);
    expect(parseEnv({ ...valid, SETTINGS_ENCRYPTION_KEY: key.toString("hex") }).SETTINGS_ENCRYPTION_KEY).toEqual(key);
    expect(parseEnv(valid).SETTINGS_ENCRYPTION_KEY).toBeUndefined();
    expect(() => parseEnv({ ...valid, SETTINGS_ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") })).toThrowError(/SETTINGS_ENCRYPTION_KEY: must be 32 bytes/);
  });

  it("names every missing variable", () => {
    expect(() => parseEnv({})).toThrowError(InvalidEnvironmentError);
    try {
      parseEnv({ SHOPIFY_API_KEY: "key" });
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ["SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES"]) expect(message).toContain(`${name}: is required but not set`);
      expect(message).not.toContain("SHOPIFY_API_KEY:");
    }
  });

  it("rejects malformed values with the variable's name", () => {
    expect(() => parseEnv({ ...valid, SHOPIFY_APP_URL: "not a url" })).toThrowError(/SHOPIFY_APP_URL/);
    expect(() => parseEnv({ ...valid, DATABASE_URL: "mysql://x" })).toThrowError(/DATABASE_URL: .*postgres/);
    expect(() => parseEnv({ ...valid, SHOPIFY_SHOP_ORIGIN_OVERRIDES: "evil.com=http://x" })).toThrowError(
      /SHOPIFY_SHOP_ORIGIN_OVERRIDES/,
    );
  });

  it("parses shop origin overrides into a map", () => {
    const env = parseEnv({
      ...valid,
      SHOPIFY_SHOP_ORIGIN_OVERRIDES: "a.myshopify.com=http://127.0.0.1:4010/stores/a.myshopify.com/, b.myshopify.com=http://127.0.0.1:4010/stores/b.myshopify.com",
    });
    expect([...env.SHOPIFY_SHOP_ORIGIN_OVERRIDES!]).toEqual([
      ["a.myshopify.com", "http://127.0.0.1:4010/stores/a.myshopify.com"],
      ["b.myshopify.com", "http://127.0.0.1:4010/stores/b.myshopify.com"],
    ]);
  });

  it("never echoes secret values in its message", () => {
    try {
      parseEnv({ ...valid, SHOPIFY_API_SECRET: "shpss_topsecret", SHOPIFY_APP_URL: "nope" });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain("shpss_topsecret");
    }
  });
});
