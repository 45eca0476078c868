import { randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, rmdir } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { StorageError } from "./errors";
import { assertContentTypeMatches, assertValidKey, assertValidPrefix, contentTypeForKey } from "./keys";
import type { ObjectStorage, StoredObject } from "./types";

export interface LocalStorageOptions {
  /** Writes the in-progress file; replaced in tests to simulate a full or read-only disk. */
  writeFile?: (path: string, data: Buffer) => Promise<void>;
}

/** In-progress files are hidden (leading "."), so no valid key can name one. */
const partialName = (name: string) => `.${name}.${randomUUID()}.partial`;
const PARTIAL_NAME = /^\.(.+)\.[0-9a-f-]{36}\.partial$/;

/** fsync before the rename: after a crash the key holds either the old file or the complete new one. */
async function writeDurably(path: string, data: Buffer): Promise<void> {
  const handle = await open(path, "wx", 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

function writeFailure(error: unknown, key: string, root: string): StorageError {
  const code = errorCode(error);
  if (code === "ENOSPC" || code === "EDQUOT") {
    return new StorageError(
      `Storage is full: could not save ${key}. Free disk space under ${root} or switch to S3 storage (STORAGE_DRIVER=s3).`,
      { retryable: false, code, cause: error },
    );
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new StorageError(
      `No permission to write to the storage directory ${root} (${code}): check STORAGE_DIR's owner and permissions.`,
      { retryable: false, code, cause: error },
    );
  }
  return new StorageError(`Could not save ${key} to local storage (${code ?? String(error)}).`, {
    retryable: true,
    code,
    cause: error,
  });
}

/** Every file under `dir`, as paths relative to it with "/" separators. */
async function walk(dir: string, relative = ""): Promise<{ files: string[]; dirs: string[] }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return { files: [], dirs: [] };
    throw error;
  }
  const files: string[] = [];
  const dirs: string[] = [];
  for (const entry of entries) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      const inner = await walk(join(dir, entry.name), path);
      files.push(...inner.files);
      dirs.push(...inner.dirs, path);
    } else {
      files.push(path);
    }
  }
  return { files, dirs };
}

/** Files in a directory (the embedded default): one file per key under `dir`. */
export function createLocalStorage(dir: string, options: LocalStorageOptions = {}): ObjectStorage {
  const root = resolve(dir);
  const write = options.writeFile ?? writeDurably;

  function pathFor(key: string): string {
    assertValidKey(key);
    const path = resolve(root, ...key.split("/"));
    // Key validation already rules out "..": this is the second lock on the same door.
    if (!path.startsWith(root + sep)) throw new StorageError(`Storage key ${key} escapes the storage directory`, { retryable: false });
    return path;
  }

  return {
    async put(key, body, contentType): Promise<StoredObject> {
      const path = pathFor(key);
      assertContentTypeMatches(key, contentType);
      const partial = join(dirname(path), partialName(basename(path)));
      try {
        await mkdir(dirname(path), { recursive: true });
        await write(partial, body);
        await rename(partial, path);
      } catch (error) {
        await rm(partial, { force: true }).catch(() => undefined);
        throw writeFailure(error, key, root);
      }
      return { key, bytes: body.length, contentType: contentTypeForKey(key) };
    },

    async get(key) {
      const path = pathFor(key);
      try {
        return { body: await readFile(path), contentType: contentTypeForKey(key) };
      } catch (error) {
        const code = errorCode(error);
        if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return null;
        throw new StorageError(`Could not read ${key} from local storage (${code ?? String(error)}).`, {
          retryable: true,
          code,
          cause: error,
        });
      }
    },

    async delete(key) {
      await rm(pathFor(key), { force: true });
    },

    async deletePrefix(prefix) {
      assertValidPrefix(prefix);
      // Prefixes match like S3's: "shops/a" also covers "shops/ab/…", so walk from the last whole directory.
      const baseKey = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
      const base = baseKey ? pathFor(baseKey) : root;
      const { files, dirs } = await walk(base);
      let deleted = 0;
      for (const file of files) {
        const key = baseKey ? `${baseKey}/${file}` : file;
        const partialOf = PARTIAL_NAME.exec(basename(key))?.[1];
        // Leftover partial files are erased with their key: a shop's redaction must not leave its bytes behind.
        const objectKey = partialOf === undefined ? key : `${key.slice(0, key.lastIndexOf("/") + 1)}${partialOf}`;
        if (!objectKey.startsWith(prefix)) continue;
        await rm(join(base, ...file.split("/")), { force: true });
        if (partialOf === undefined) deleted++;
      }
      // Deepest first; a directory that still holds other keys stays.
      for (const path of dirs.sort((a, b) => b.length - a.length)) {
        await rmdir(join(base, ...path.split("/"))).catch(() => undefined);
      }
      if (base !== root) await rmdir(base).catch(() => undefined);
      return deleted;
    },
  };
}
