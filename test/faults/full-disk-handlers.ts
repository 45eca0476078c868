/**
 * The worker's "generate-item" handler wired as app/batches/handlers.server.ts
 * wires it, except that local storage's file writes fail with ENOSPC, as on a
 * full disk, while the file named by FAULTS_DISK_FULL_MARKER exists. The test
 * creates and removes that file to fill and free the disk under a running
 * worker. Loaded with `worker-main.server.ts --handlers <this file>`.
 */
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { itemRunnerDeps } from "~/batches/handlers.server";
import { runItem } from "~/batches/run-item.server";
import type { Env } from "~/config/env.server";
import type { Db } from "~/db/client.server";
import { createProviderRegistry } from "~/providers/registry.server";
import type { JobHandlers } from "~/queue/types";
import { createImageFetcher, imageFetchPolicy } from "~/shopify/image-fetch.server";
import { createLocalStorage } from "~/storage/local-storage.server";

export function createHandlers({ env, db }: { env: Env; db: Db }): Pick<JobHandlers, "generate-item"> {
  const marker = process.env.FAULTS_DISK_FULL_MARKER;
  if (!marker) throw new Error("FAULTS_DISK_FULL_MARKER is not set");
  const storage = createLocalStorage(env.STORAGE_DIR, {
    writeFile: async (path, data) => {
      if (existsSync(marker)) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: "ENOSPC", errno: -28 });
      await writeFile(path, data, { flag: "wx" });
    },
  });
  const deps = itemRunnerDeps({
    db,
    registry: createProviderRegistry(env),
    storage,
    fetchImage: createImageFetcher(imageFetchPolicy(env.SHOPIFY_SHOP_ORIGIN_OVERRIDES)),
    itemLeaseMs: env.JOB_LEASE_MS,
  });
  return { "generate-item": (payload, context) => runItem(deps, payload, context) };
}
