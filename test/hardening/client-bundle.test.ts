import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildDir } from "./routes";

/**
 * What the browser downloads: every file of the client build. None may name
 * a server secret's variable, carry a secret's value from this environment,
 * or contain code from a server-only module (the database, sharp, SDKs with
 * keys, the queue, the app's *.server.ts modules).
 */

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

const SECRET_VARIABLES = ["SHOPIFY_API_SECRET", "OPENAI_API_KEY", "GEMINI_API_KEY", "S3_SECRET_ACCESS_KEY", "S3_ACCESS_KEY_ID", "DATABASE_URL", "REDIS_URL", "PROVIDER_KEYS_SECRET"];

/** Strings that only appear in the bundle when a server module leaked into it. */
const SERVER_MARKERS = [
  "PrismaClient",
  "@prisma/client",
  "@pis/db-",
  "libsql",
  "sharp(",
  "ioredis",
  "bullmq",
  "@aws-sdk",
  "node:crypto",
  "node:fs",
  "createHmac",
  "apiSecretKey",
  "authenticate.admin",
  "requireEnv",
  "process.env",
];

describe("the client build", () => {
  const root = path.join(buildDir(), "client");
  const all = files(root).filter((file) => /\.(m?js|css|html|json|map)$/.test(file));

  it("exists", () => {
    expect(all.some((file) => file.endsWith(".js"))).toBe(true);
  });

  it("names no server secret and carries no secret value from this environment", () => {
    const values = SECRET_VARIABLES.map((name) => process.env[name]).filter((v): v is string => Boolean(v && v.length >= 8));
    for (const file of all) {
      const text = readFileSync(file, "utf8");
      for (const name of SECRET_VARIABLES) expect(text.includes(name), `${path.relative(root, file)} names ${name}`).toBe(false);
      for (const value of values) expect(text.includes(value), `${path.relative(root, file)} carries a secret value`).toBe(false);
    }
  });

  it("contains no server-only code", () => {
    for (const file of all.filter((f) => f.endsWith(".js"))) {
      const text = readFileSync(file, "utf8");
      const found = SERVER_MARKERS.filter((marker) => text.includes(marker));
      expect(found, path.relative(root, file)).toEqual([]);
    }
  });
});
