import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "~/config/env.server";
import { startS3Server, type FakeS3Server } from "../../test/s3-server/server";
import { createStorage } from "./storage.server";

const BASE = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  SCOPES: "read_products",
};

let s3: FakeS3Server;
let dir: string;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ["pis-images"] });
  dir = await mkdtemp(join(tmpdir(), "storage-env-"));
});
afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

describe("storage environment", () => {
  it("defaults to local files under ./data/storage", () => {
    const env = parseEnv(BASE);
    expect(env.STORAGE_DRIVER).toBe("local");
    expect(env.STORAGE_DIR).toBe("./data/storage");
  });

  it("names every S3 setting the s3 driver is missing", () => {
    expect(() => parseEnv({ ...BASE, STORAGE_DRIVER: "s3" })).toThrowError(
      /S3_BUCKET: is required when STORAGE_DRIVER=s3\n {2}S3_ACCESS_KEY_ID: is required when STORAGE_DRIVER=s3\n {2}S3_SECRET_ACCESS_KEY: is required when STORAGE_DRIVER=s3/,
    );
  });

  it("rejects malformed S3 values with the variable's name", () => {
    expect(() => parseEnv({ ...BASE, STORAGE_DRIVER: "s3", S3_BUCKET: "My_Bucket", S3_ACCESS_KEY_ID: "a", S3_SECRET_ACCESS_KEY: "b" })).toThrowError(
      /S3_BUCKET: must be an S3 bucket name/,
    );
    expect(() => parseEnv({ ...BASE, S3_FORCE_PATH_STYLE: "yes" })).toThrowError(/S3_FORCE_PATH_STYLE: must be "true" or "false"/);
    expect(() => parseEnv({ ...BASE, STORAGE_DRIVER: "disk" })).toThrowError(/STORAGE_DRIVER/);
  });

  it("writes where STORAGE_DIR says with the local driver", async () => {
    const storage = createStorage(parseEnv({ ...BASE, STORAGE_DIR: dir }));
    await storage.put("shops/s/a.png", Buffer.from("local"), "image/png");
    expect((await readFile(join(dir, "shops/s/a.png"))).toString()).toBe("local");
  });

  it("talks to the configured endpoint and bucket with the s3 driver, path-style by default there", async () => {
    const env = parseEnv({
      ...BASE,
      STORAGE_DRIVER: "s3",
      S3_BUCKET: "pis-images",
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    });
    await createStorage(env).put("shops/s/a.png", Buffer.from("remote"), "image/png");
    expect(s3.buckets.get("pis-images")?.get("shops/s/a.png")?.body.toString()).toBe("remote");
  });
});
