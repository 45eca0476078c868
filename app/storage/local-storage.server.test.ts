import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StorageError } from "./errors";
import { createLocalStorage } from "./local-storage.server";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "storage-failure-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function systemError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe("local storage failures", () => {
  it("reports a full disk clearly and leaves neither a partial nor a damaged file", async () => {
    const key = "shops/s1/candidates/i1/0.png";
    const healthy = createLocalStorage(root);
    await healthy.put(key, Buffer.from("previous version"), "image/png");
    // The disk fills half-way through the write, as a real ENOSPC does.
    const full = createLocalStorage(root, {
      async writeFile(path, data) {
        await writeFile(path, data.subarray(0, Math.floor(data.length / 2)));
        throw systemError("ENOSPC", "no space left on device, write");
      },
    });
    const error = await full.put(key, Buffer.alloc(10_000, 7), "image/png").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toMatch(/^Storage is full: could not save shops\/s1\/candidates\/i1\/0\.png\./);
    expect((error as StorageError).retryable).toBe(false);
    expect((error as StorageError).code).toBe("ENOSPC");
    expect((await healthy.get(key))?.body.toString()).toBe("previous version");
    expect(await filesUnder(root)).toEqual(["0.png"]);
  });

  it("reports a directory it may not write to and leaves nothing behind", async () => {
    const storage = createLocalStorage(root, {
      writeFile: () => Promise.reject(systemError("EACCES", "permission denied, open")),
    });
    const error = await storage.put("shops/s1/new.png", Buffer.from("x"), "image/png").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toContain(`No permission to write to the storage directory ${root} (EACCES)`);
    expect((error as StorageError).retryable).toBe(false);
    expect(await createLocalStorage(root).get("shops/s1/new.png")).toBeNull();
    expect(await filesUnder(root)).toEqual([]);
  });

  it("erases a crashed write's leftover file with its shop", async () => {
    const storage = createLocalStorage(root);
    await storage.put("shops/s1/a.png", Buffer.from("x"), "image/png");
    await writeFile(join(root, "shops/s1", ".b.png.0b6f5e1c-3a0d-4c55-9d8e-5d2f3a1b2c3d.partial"), "half");
    expect(await storage.deletePrefix("shops/s1/")).toBe(1);
    expect(await filesUnder(root)).toEqual([]);
  });
});
