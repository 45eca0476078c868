/**
 * Batches run end to end on the embedded queue engine (real worker, real
 * database) with the offline studio provider and local storage: launch,
 * pause, resume, retry failed, progress, and that one shop never sees or
 * steers another's batch.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { createProviderRegistry } from "~/providers/registry.server";
import { EmbeddedJobQueue, startEmbeddedWorker } from "~/queue/embedded.server";
import type { Worker } from "~/queue/types";
import { createLocalStorage } from "~/storage/local-storage.server";
import { useTestDatabase } from "../../test/support/use-test-database";
import { batchRequest, seedProducts, seedShop, startPhotoServer, type PhotoServer } from "../../test/batches/fixtures";
import { createBatch } from "./create-batch.server";
import { cancel, pause, resume, retryFailed } from "./control.server";
import { itemRunnerDeps } from "./handlers.server";
import { listBatches } from "./list.server";
import { batchProgress } from "./progress.server";
import { runItem } from "./run-item.server";
import { until } from "../../test/support/until";

const t = useTestDatabase({ emptyBeforeEach: false });
let photos: PhotoServer;
let storageDir: string;
let workers: Worker[] = [];
let counter = 0;

beforeAll(async () => {
  photos = await startPhotoServer();
  storageDir = mkdtempSync(path.join(tmpdir(), "pis-control-"));
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  workers = [];
});
afterAll(async () => {
  await photos.close();
  rmSync(storageDir, { recursive: true, force: true });
});

const registry = createProviderRegistry({});
const storage = () => createLocalStorage(storageDir);

async function setup(options: { products?: number; candidates?: number; photo?: boolean } = {}) {
  counter += 1;
  const namespace = `control-${process.pid}-${counter}`;
  const queue = new EmbeddedJobQueue(t.db, { queue: namespace, dialect: t.kind });
  const shop = await seedShop(t.db, `control-${process.pid}-${counter}.myshopify.com`);
  const gids = await seedProducts(t.db, shop.id, options.products ?? 2, options.photo === false ? null : photos.url);
  const now = () => new Date();
  const created = await createBatch(
    { db: t.db, registry, presets: PRESET_LIBRARY, now, concurrency: 2, queue },
    shop.id,
    batchRequest(gids, { candidatesPerProduct: options.candidates ?? 2 }),
  );
  if (!created.ok) throw new Error(created.reasons.join("; "));
  const control = { db: t.db, queue, now };
  const startWorker = () => {
    const deps = itemRunnerDeps({ db: t.db, registry, storage: storage(), fetchImage: photos.fetchImage });
    const worker = startEmbeddedWorker(
      t.db,
      { "generate-item": (payload, context) => runItem(deps, payload, context) },
      { queue: namespace, dialect: t.kind, concurrency: 2, leaseMs: 10_000, shutdownTimeoutMs: 5_000, pollMinMs: 20, pollMaxMs: 100 },
    );
    workers.push(worker);
    return worker;
  };
  return { shop, gids, batchId: created.batchId, queue, namespace, control, startWorker };
}

const progressOf = (shopId: string, batchId: string) => batchProgress({ db: t.db, now: () => new Date() }, shopId, batchId);
const batchStatus = async (id: string) => (await t.db.batch.findUniqueOrThrow({ where: { id } })).status;

describe("a studio batch on the embedded engine", () => {
  it("runs every item once, stores candidates in the shop's namespace and reports progress", async () => {
    const { shop, batchId, startWorker } = await setup();
    startWorker();
    await until("completion", async () => (await batchStatus(batchId)) === "completed");

    const candidates = await t.db.candidate.findMany({ where: { shopId: shop.id } });
    expect(candidates).toHaveLength(4);
    for (const c of candidates) {
      expect(c.storageKey.startsWith(`shops/${shop.id}/candidates/`)).toBe(true);
      const stored = await storage().get(c.storageKey);
      expect(stored?.body.length).toBe(c.bytes);
    }
    expect(await t.db.costLedgerEntry.count({ where: { shopId: shop.id } })).toBe(0);

    const progress = await progressOf(shop.id, batchId);
    expect(progress).toMatchObject({ status: "completed", total: 4, fraction: 1, spentMicros: 0, estimatedMicros: 0, etaSeconds: null });
    expect(progress!.counts).toMatchObject({ succeeded: 4, queued: 0, running: 0, failed: 0 });
    expect(progress!.products.map((p) => [p.title, p.counts.succeeded])).toEqual([
      ["Glass bottle 1", 2],
      ["Glass bottle 2", 2],
    ]);
    expect(progress!.itemsPerMinute).toBeGreaterThan(0);
  });

  it("a paused batch makes no images until resumed, then finishes", async () => {
    const { shop, batchId, namespace, control, startWorker } = await setup();
    expect(await pause(control, shop.id, batchId)).toEqual({ ok: true });
    startWorker();
    // Every job runs, finds the batch paused and ends without touching its item.
    await until("jobs to end", async () => (await t.db.job.count({ where: { queue: namespace, status: { not: "completed" } } })) === 0);
    expect(await t.db.candidate.count({ where: { shopId: shop.id } })).toBe(0);
    expect((await progressOf(shop.id, batchId))?.pausedMessage).toBe("Paused by you. Resume to continue.");

    expect(await resume(control, shop.id, batchId)).toEqual({ ok: true });
    await until("completion", async () => (await batchStatus(batchId)) === "completed");
    expect(await t.db.candidate.count({ where: { shopId: shop.id } })).toBe(4);
    expect(await resume(control, shop.id, batchId)).toMatchObject({ ok: false, status: 409 });
  });

  it("reports failed items per product with their reason, and retries them, counting their attempts on", async () => {
    const { shop, gids, batchId, control, startWorker } = await setup({ products: 1, candidates: 2, photo: false });
    startWorker();
    await until("completion", async () => (await batchStatus(batchId)) === "completed");
    const progress = await progressOf(shop.id, batchId);
    expect(progress!.counts.failed).toBe(2);
    expect(progress!.products[0]!.errors).toHaveLength(2);
    expect(progress!.products[0]!.errors[0]).toMatchObject({ state: "failed", kind: "input" });
    expect(progress!.products[0]!.errors[0]!.reason).toMatch(/has no product photo.*Add a photo/);

    // The merchant adds a photo in Shopify; retrying makes the images.
    await t.db.productCache.updateMany({ where: { shopId: shop.id, productGid: gids[0] }, data: { featuredImageUrl: photos.url, mediaCount: 1 } });
    expect(await retryFailed(control, shop.id, batchId)).toEqual({ ok: true });
    await until("retry to finish", async () => (await batchStatus(batchId)) === "completed" && (await t.db.candidate.count({ where: { shopId: shop.id } })) === 2);
    const items = await t.db.batchItem.findMany({ where: { batchId } });
    expect(items.map((i) => [i.status, i.attempts, i.errorMessage])).toEqual([
      ["succeeded", 2, null],
      ["succeeded", 2, null],
    ]);
  });

  it("retry also takes back an item a dead worker left running, once its heartbeat is long stale", async () => {
    const { shop, batchId, control, startWorker } = await setup({ products: 1, candidates: 1 });
    const [item] = await t.db.batchItem.findMany({ where: { batchId } });
    const stale = new Date(Date.now() - 10 * 60_000);
    await t.db.batchItem.update({ where: { id: item!.id }, data: { status: "running", attempts: 5, startedAt: stale, updatedAt: stale } });
    await t.db.job.updateMany({ where: { id: `generate-item:${item!.id}` }, data: { status: "failed", lastError: "the worker running attempt 5 was lost" } });
    expect(await retryFailed(control, shop.id, batchId)).toEqual({ ok: true });
    startWorker();
    await until("completion", async () => (await batchStatus(batchId)) === "completed");
    expect(await t.db.batchItem.findUniqueOrThrow({ where: { id: item!.id } })).toMatchObject({ status: "succeeded", attempts: 6 });
  });

  it("cancel on a queued batch cancels every item and no job makes an image", async () => {
    const { shop, batchId, namespace, control, startWorker } = await setup();
    expect(await cancel(control, shop.id, batchId)).toEqual({ ok: true });
    startWorker();
    await until("jobs to end", async () => (await t.db.job.count({ where: { queue: namespace, status: { not: "completed" } } })) === 0);
    const progress = await progressOf(shop.id, batchId);
    expect(progress).toMatchObject({ status: "canceled", fraction: 1 });
    expect(progress!.counts.canceled).toBe(4);
    expect(await t.db.candidate.count({ where: { shopId: shop.id } })).toBe(0);
  });
});

describe("tenant isolation", () => {
  it("another shop can neither see nor steer a batch", async () => {
    const { batchId, control } = await setup();
    const intruder = await seedShop(t.db, `intruder-${process.pid}-${counter}.myshopify.com`);
    expect(await progressOf(intruder.id, batchId)).toBeNull();
    for (const action of [pause, resume, cancel, retryFailed]) {
      expect(await action(control, intruder.id, batchId)).toEqual({ ok: false, status: 404, message: "That batch does not exist." });
    }
    expect(await batchStatus(batchId)).toBe("queued");
    expect(await listBatches(t.db, intruder.id)).toEqual([]);
  });

  it("lists a shop's own batches with their counts", async () => {
    const { shop, batchId, control } = await setup();
    await cancel(control, shop.id, batchId);
    const [summary, ...rest] = await listBatches(t.db, shop.id);
    expect(rest).toEqual([]);
    expect(summary).toMatchObject({ id: batchId, status: "canceled", total: 4, settled: 4, failed: 0, providerId: "studio" });
  });
});
