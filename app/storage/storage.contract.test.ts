import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startS3Server, type FakeS3Server } from "../../test/s3-server/server";
import { InvalidStorageKeyError } from "./keys";
import { createLocalStorage } from "./local-storage.server";
import { createS3Storage } from "./s3-storage.server";
import { shopKey, type ObjectStorage } from "./types";

let s3: FakeS3Server;
let dir: string;

beforeAll(async () => {
  s3 = await startS3Server({ maxKeysPerPage: 3 });
});
afterAll(async () => {
  await s3.close();
});

const backends: [name: string, make: () => Promise<ObjectStorage>][] = [
  [
    "local files",
    async () => {
      dir = await mkdtemp(join(tmpdir(), "storage-contract-"));
      return createLocalStorage(dir);
    },
  ],
  [
    "S3 (local S3 server)",
    async () => {
      s3.buckets.set("test-bucket", new Map());
      return createS3Storage({
        bucket: "test-bucket",
        endpoint: s3.endpoint,
        region: s3.region,
        credentials: s3.credentials,
        forcePathStyle: true,
      });
    },
  ],
];

describe.each(backends)("ObjectStorage contract: %s", (_name, make) => {
  let storage: ObjectStorage;
  beforeEach(async () => {
    storage = await make();
  });

  it("stores and returns the bytes and content type", async () => {
    const body = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    const key = shopKey("shop1", "candidates", "item1", "0.png");
    expect(await storage.put(key, body, "image/png")).toEqual({ key, bytes: body.length, contentType: "image/png" });
    const got = await storage.get(key);
    expect(got?.contentType).toBe("image/png");
    expect(got?.body.equals(body)).toBe(true);
  });

  it("replaces an existing object", async () => {
    const key = shopKey("shop1", "a.json");
    await storage.put(key, Buffer.from('{"v":1}'), "application/json");
    await storage.put(key, Buffer.from('{"v":2}'), "application/json");
    expect((await storage.get(key))?.body.toString()).toBe('{"v":2}');
  });

  it("answers null for a missing key and deletes idempotently", async () => {
    const key = shopKey("shop1", "missing.webp");
    expect(await storage.get(key)).toBeNull();
    await storage.put(key, Buffer.from("x"), "image/webp");
    await storage.delete(key);
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
  });

  it("erases everything under a shop's prefix, across pages, and nothing of another shop", async () => {
    const mine = Array.from({ length: 8 }, (_, i) => shopKey("shop-a", "candidates", `item${i % 3}`, `${i}.png`));
    const other = [shopKey("shop-ab", "candidates", "x", "0.png"), shopKey("shop-b", "0.png")];
    for (const key of [...mine, ...other]) await storage.put(key, Buffer.from(key), "image/png");
    expect(await storage.deletePrefix("shops/shop-a/")).toBe(mine.length);
    for (const key of mine) expect(await storage.get(key)).toBeNull();
    for (const key of other) expect((await storage.get(key))?.body.toString()).toBe(key);
    expect(await storage.deletePrefix("shops/shop-a/")).toBe(0);
  });

  it("matches prefixes as strings, like S3", async () => {
    await storage.put("shops/s1/candidates/item1/0.png", Buffer.from("1"), "image/png");
    await storage.put("shops/s1/candidates/item10/0.png", Buffer.from("2"), "image/png");
    await storage.put("shops/s1/candidates/item2/0.png", Buffer.from("3"), "image/png");
    expect(await storage.deletePrefix("shops/s1/candidates/item1")).toBe(2);
    expect(await storage.get("shops/s1/candidates/item2/0.png")).not.toBeNull();
  });

  it.each(["../escape.png", "shops/../../etc/passwd", "/abs.png", "shops//x.png", "shops/.hidden.png", "shops/a b.png", ""])(
    "refuses the unsafe key %j",
    async (key) => {
      await expect(storage.put(key, Buffer.from("x"), "image/png")).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    },
  );

  it("refuses an empty prefix rather than erasing everything", async () => {
    await expect(storage.deletePrefix("")).rejects.toBeInstanceOf(InvalidStorageKeyError);
    await expect(storage.deletePrefix("/")).rejects.toBeInstanceOf(InvalidStorageKeyError);
  });

  it("refuses a content type that disagrees with the key's extension", async () => {
    await expect(storage.put(shopKey("s", "a.png"), Buffer.from("x"), "image/jpeg")).rejects.toThrow(/implies image\/png/);
  });
});

describe("local storage on disk", () => {
  it("leaves no in-progress files behind and removes emptied directories", async () => {
    const root = await mkdtemp(join(tmpdir(), "storage-local-"));
    const storage = createLocalStorage(root);
    await storage.put("shops/s/candidates/i/0.png", Buffer.from("x"), "image/png");
    expect(await readdir(join(root, "shops/s/candidates/i"))).toEqual(["0.png"]);
    await storage.deletePrefix("shops/s/");
    expect(await readdir(join(root, "shops"))).toEqual([]);
    await rm(root, { recursive: true });
  });
});
