/**
 * Start and apply-winner as queue jobs, against the local Shopify store, on
 * SQLite and PostgreSQL: the request records the intent, the job fulfils it;
 * a job delivered twice (or retried after a partial attempt) uploads and
 * attaches once; Shopify's refusal ends the job at once (one attempt on the
 * real embedded queue) with the experiment as it was and the reason on it.
 */
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedJobQueue, startEmbeddedWorker } from "~/queue/embedded.server";
import { NonRetryableJobError, type JobContext, type Worker } from "~/queue/types";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import { getProductGallery } from "~/shopify/media.server";
import { experimentStoreState } from "../../test/shopify-store/resolvers/experiments";
import type { LocalStore } from "../../test/shopify-store/server";
import { SHOP, startTestStore, storeAdmin } from "../../test/shopify-store/test-harness";
import { useTestDatabase } from "../../test/support/use-test-database";
import { requestApplyWinner, requestStart, type ExperimentJobDeps } from "./experiment-jobs.server";
import { createExperiment, ensurePixel, pauseExperiment, requireExperiment, startExperiment, stopExperiment } from "./experiments.server";
import { experimentHandlers } from "./handlers.server";
import { PENDING_STALE_MS, pendingStale } from "./jobs";
import { until } from "../../test/support/until";

const t = useTestDatabase({ emptyBeforeEach: false });
let store: LocalStore;
let admin: AdminGraphql;
let variantBytes: Buffer;
const workers: Worker[] = [];

beforeAll(async () => {
  store = await startTestStore({ mediaTimings: { uploadedMs: 5, processingMs: 5 } });
  admin = await storeAdmin(store);
  variantBytes = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 10, b: 10 } } }).png().toBuffer();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});
afterAll(async () => {
  await store?.close();
});

/** The Admin API as the worker sees it, counting operations; `answer` may stand in for Shopify. */
function watchedAdmin(answer?: (operation: string, calls: number) => unknown) {
  const calls = new Map<string, number>();
  const watched: AdminGraphql = {
    shop: SHOP,
    async request<TData, TVariables extends Record<string, unknown>>(query: string, variables?: TVariables): Promise<TData> {
      const operation = /(?:mutation|query)\s+(\w+)/.exec(query)?.[1] ?? "anonymous";
      calls.set(operation, (calls.get(operation) ?? 0) + 1);
      const answered = answer?.(operation, calls.get(operation)!);
      if (answered !== undefined) return answered as TData;
      return admin.request<TData, TVariables>(query, variables);
    },
  };
  return { admin: watched, count: (operation: string) => calls.get(operation) ?? 0, total: () => [...calls.values()].reduce((a, b) => a + b, 0) };
}

function jobDeps(shopAdmin: AdminGraphql): ExperimentJobDeps {
  return {
    db: t.db,
    admin: async (domain) => {
      expect(domain).toBe(SHOP);
      return shopAdmin;
    },
    storage: { get: async () => ({ body: variantBytes, contentType: "image/png" }) },
    appUrl: "https://app.example",
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
  };
}

/** The request side's queue; these tests deliver the jobs themselves. */
const requests = () => ({ db: t.db, queue: { enqueue: async () => {} } });
const context = (attempt: number): JobContext => ({ attempt, signal: new AbortController().signal });
const refusal = (field: string, code: string, message: string) => ({ userErrors: [{ code, field: [field], message }] });

let productIndex = 0;
/** A draft on a product of its own (the store's state outlives each test). */
async function draft(variants = 1) {
  const shop = await t.db.shop.upsert({ where: { domain: SHOP }, create: { domain: SHOP }, update: {} });
  const products = [...store.data.shops.get(SHOP)!.products.values()].filter((p) => p.media.length > 0);
  const product = products[productIndex++ % products.length]!;
  const productGid = `gid://shopify/Product/${product.id}`;
  const candidateIds: string[] = [];
  for (let i = 0; i < variants; i++) {
    const row = await t.db.candidate.create({
      data: { shopId: shop.id, productGid, presetId: "packshot-white", providerId: "studio", model: "studio-1", seed: i, status: "approved", abCandidate: true, storageKey: `k${i}`, thumbSmallKey: "k", thumbLargeKey: "k", format: "png", width: 64, height: 64, bytes: variantBytes.length, perceptualHash: "0", promptHash: "0" },
    });
    candidateIds.push(row.id);
  }
  const experiment = await createExperiment({ db: t.db, admin }, { shopId: shop.id, productGid, candidateIds });
  return { shopId: shop.id, productGid, id: experiment.id, payload: { shopId: shop.id, experimentId: experiment.id } };
}

describe("start as a job", () => {
  it("uploads each variant once across a failed attempt, a retry and a second delivery", async () => {
    const { shopId, id, payload } = await draft(2);
    await requestStart(requests(), shopId, id);
    // A second click while it waits records nothing new.
    await requestStart(requests(), shopId, id);
    expect(await requireExperiment(t.db, shopId, id)).toMatchObject({ status: "draft", pendingAction: "start" });
    // Nothing may change the experiment under its job.
    await expect(stopExperiment({ ...jobDeps(admin), admin }, shopId, id)).rejects.toMatchObject({ status: 409 });
    await expect(requestApplyWinner(requests(), shopId, id, "b", { deleteLosers: false })).rejects.toMatchObject({ status: 409 });

    // The connection drops while Shopify processes the first File, then when the storefront config is written.
    const shopify = watchedAdmin((operation, calls) => {
      if ((operation === "MediaStatus" || operation === "ExperimentMetafieldsSet") && calls === 1) throw new TypeError("fetch failed");
      return undefined;
    });
    const handlers = experimentHandlers(jobDeps(shopify.admin));
    const failed = handlers["experiment-start"](payload, context(1));
    await expect(failed).rejects.toThrow("fetch failed");
    await expect(failed).rejects.not.toBeInstanceOf(NonRetryableJobError);
    const interrupted = await requireExperiment(t.db, shopId, id);
    expect(interrupted).toMatchObject({ status: "draft", pendingAction: "start", lastError: "fetch failed" });
    expect(interrupted.arms.map((a) => [a.key, a.fileStatus])).toEqual([["a", "ready"], ["b", "pending"], ["c", "pending"]]);
    expect(shopify.count("ExperimentFileCreate")).toBe(1);

    await expect(handlers["experiment-start"](payload, context(2))).rejects.toThrow("fetch failed");
    const retrying = await requireExperiment(t.db, shopId, id);
    expect(retrying).toMatchObject({ status: "draft", pendingAction: "start" });
    expect(retrying.arms.filter((a) => !a.isControl).map((a) => a.fileStatus)).toEqual(["ready", "ready"]);
    // B's File from the first attempt was waited for, not uploaded again.
    expect(retrying.arms.find((a) => a.key === "b")!.shopifyFileId).toBe(interrupted.arms.find((a) => a.key === "b")!.shopifyFileId);
    expect(shopify.count("ExperimentFileCreate")).toBe(2);

    await handlers["experiment-start"](payload, context(3));
    const running = await requireExperiment(t.db, shopId, id);
    expect(running).toMatchObject({ status: "running", pendingAction: null, lastError: null });
    expect(running.arms.filter((a) => !a.isControl).map((a) => a.shopifyFileId)).toEqual(retrying.arms.filter((a) => !a.isControl).map((a) => a.shopifyFileId));
    expect(shopify.count("ExperimentFileCreate")).toBe(2);
    expect(shopify.count("StagedUploadCreate")).toBe(2);

    // Delivered again (or enqueued again by a late click): nothing more reaches Shopify.
    const calls = shopify.total();
    await handlers["experiment-start"](payload, context(1));
    expect(shopify.total()).toBe(calls);
    expect(await requireExperiment(t.db, shopId, id)).toMatchObject({ status: "running", startedAt: running.startedAt });
  }, 60_000);

  it("ends at once on Shopify's refusal: back to draft with the reason, the product free, one attempt", async () => {
    const { shopId, id, productGid } = await draft();
    const namespace = `experiments-${process.pid}-${Date.now()}`;
    const queue = new EmbeddedJobQueue(t.db, { queue: namespace, dialect: t.kind });
    const shopify = watchedAdmin((operation) =>
      operation === "ExperimentFileCreate" ? { fileCreate: { files: null, ...refusal("originalSource", "INVALID", "Original source is invalid") } } : undefined,
    );
    await requestStart({ db: t.db, queue }, shopId, id);
    workers.push(
      startEmbeddedWorker(t.db, experimentHandlers(jobDeps(shopify.admin)), {
        queue: namespace,
        dialect: t.kind,
        concurrency: 1,
        leaseMs: 10_000,
        shutdownTimeoutMs: 5_000,
        pollMinMs: 20,
        pollMaxMs: 100,
      }),
    );
    const job = await until("the job to end", async () => {
      const row = await t.db.job.findUnique({ where: { id: `experiment-start:${id}` } });
      return row && (row.status === "failed" || row.status === "completed") ? row : null;
    });
    expect(job).toMatchObject({ status: "failed", attempts: 1 });
    expect(job.lastError).toMatch(/Original source is invalid/);
    expect(shopify.count("ExperimentFileCreate")).toBe(1);
    const experiment = await requireExperiment(t.db, shopId, id);
    expect(experiment).toMatchObject({ status: "draft", pendingAction: null, liveProductKey: null });
    expect(experiment.lastError).toMatch(/Shopify refused the file: Original source is invalid/);
    expect([...experimentStoreState(store.data.shops.get(SHOP)!).metafields.values()].some((m) => m.ownerId === productGid)).toBe(false);

    // The merchant may start it again; that is a new run of the same job id.
    await requestStart(requests(), shopId, id);
    expect(await requireExperiment(t.db, shopId, id)).toMatchObject({ pendingAction: "start", lastError: null });
  }, 60_000);

  it("gives up on the last attempt with the reason, instead of retrying for ever", async () => {
    const { shopId, id, payload } = await draft();
    await requestStart(requests(), shopId, id);
    const shopify = watchedAdmin((operation) => {
      if (operation === "StagedUploadCreate") throw new TypeError("fetch failed");
      return undefined;
    });
    const handlers = experimentHandlers(jobDeps(shopify.admin));
    await expect(handlers["experiment-start"](payload, context(6))).rejects.toBeInstanceOf(NonRetryableJobError);
    expect(await requireExperiment(t.db, shopId, id)).toMatchObject({ status: "draft", pendingAction: null, lastError: "fetch failed", liveProductKey: null });
  });

  it("finds the shop's pixel when the answer that created it was lost, instead of failing on Shopify's TAKEN", async () => {
    const { shopId, id, payload } = await draft();
    await ensurePixel({ db: t.db, admin, appUrl: "https://app.example" }, shopId);
    const pixel = experimentStoreState(store.data.shops.get(SHOP)!).webPixel;
    await t.db.pixelKey.update({ where: { shopId }, data: { webPixelId: null } });
    await requestStart(requests(), shopId, id);
    const shopify = watchedAdmin();
    await experimentHandlers(jobDeps(shopify.admin))["experiment-start"](payload, context(1));
    expect(await requireExperiment(t.db, shopId, id)).toMatchObject({ status: "running", pendingAction: null, lastError: null });
    const key = await t.db.pixelKey.findUniqueOrThrow({ where: { shopId } });
    expect(key.webPixelId).toBe(`gid://shopify/WebPixel/${pixel!.id}`);
    expect(JSON.parse(experimentStoreState(store.data.shops.get(SHOP)!).webPixel!.settings)).toEqual({ shopKey: key.key, endpoint: "https://app.example/api/pixel/events" });
    expect([shopify.count("ExperimentWebPixelCreate"), shopify.count("ExperimentWebPixelUpdate")]).toEqual([1, 1]);
  }, 60_000);

  it("asked again after its job ended without running (the last worker died), runs the job again", async () => {
    const { shopId, id } = await draft();
    const queue = new EmbeddedJobQueue(t.db, { queue: `experiments-stale-${process.pid}-${Date.now()}`, dialect: t.kind });
    await requestStart({ db: t.db, queue }, shopId, id);
    const jobId = `experiment-start:${id}`;
    await t.db.job.update({ where: { id: jobId }, data: { status: "failed", attempts: 6, lastError: "the worker running attempt 6 was lost" } });
    const stuck = await t.db.experiment.findUniqueOrThrow({ where: { id } });
    expect(pendingStale(stuck, new Date(stuck.updatedAt.getTime() + 60_000))).toBe(false);
    expect(pendingStale(stuck, new Date(stuck.updatedAt.getTime() + PENDING_STALE_MS + 1))).toBe(true);

    await requestStart({ db: t.db, queue }, shopId, id);
    expect(await t.db.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: "waiting", attempts: 0 });
    expect(await requireExperiment(t.db, shopId, id)).toMatchObject({ status: "draft", pendingAction: "start" });
  });

  it("releases the intent when its job cannot be enqueued, so the page does not wait for ever", async () => {
    const { shopId, id } = await draft();
    const down = { db: t.db, queue: { enqueue: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379")) } };
    await expect(requestStart(down, shopId, id)).rejects.toThrow("ECONNREFUSED");
    expect(await requireExperiment(t.db, shopId, id)).toMatchObject({ status: "draft", pendingAction: null });
  });

  it("answers another shop's experiment like a missing one and records nothing", async () => {
    const { id } = await draft();
    const other = await t.db.shop.upsert({ where: { domain: "other-store.myshopify.com" }, create: { domain: "other-store.myshopify.com" }, update: {} });
    await expect(requestStart(requests(), other.id, id)).rejects.toMatchObject({ status: 404 });
    await expect(requestApplyWinner(requests(), other.id, id, "b", { deleteLosers: false })).rejects.toMatchObject({ status: 404 });
    expect((await t.db.experiment.findUniqueOrThrow({ where: { id } })).pendingAction).toBeNull();
  });
});

describe("apply the winner as a job", () => {
  it("leaves a refused apply's test running with the reason; applied again, attaches once however often delivered", async () => {
    const { shopId, id, productGid, payload } = await draft(2);
    await startExperiment({ ...jobDeps(admin), admin }, shopId, id);
    const metafieldOf = () => [...experimentStoreState(store.data.shops.get(SHOP)!).metafields.values()].find((m) => m.ownerId === productGid);

    const refusing = watchedAdmin((operation) =>
      operation === "FileUpdateReferences" ? { fileUpdate: { files: [], ...refusal("referencesToAdd", "PRODUCT_MEDIA_LIMIT_EXCEEDED", "Exceeded the maximum number of media, 250, for this product.") } } : undefined,
    );
    await requestApplyWinner(requests(), shopId, id, "b", { deleteLosers: true });
    await expect(requestApplyWinner(requests(), shopId, id, "c", { deleteLosers: false })).rejects.toMatchObject({ status: 409 });
    await expect(pauseExperiment({ ...jobDeps(admin), admin }, shopId, id)).rejects.toMatchObject({ status: 409 });
    await expect(experimentHandlers(jobDeps(refusing.admin))["experiment-apply-winner"](payload, context(1))).rejects.toBeInstanceOf(NonRetryableJobError);
    const refused = await requireExperiment(t.db, shopId, id);
    expect(refused).toMatchObject({ status: "running", pendingAction: null, pendingArmKey: null, winnerArmKey: null });
    expect(refused.lastError).toMatch(/Exceeded the maximum number of media/);
    expect(JSON.parse(metafieldOf()!.value)).toMatchObject({ experimentId: id, status: "running" });

    const shopify = watchedAdmin();
    const handlers = experimentHandlers(jobDeps(shopify.admin));
    await requestApplyWinner(requests(), shopId, id, "b", { deleteLosers: true });
    await handlers["experiment-apply-winner"](payload, context(1));
    const applied = await requireExperiment(t.db, shopId, id);
    expect(applied).toMatchObject({ status: "winner_applied", winnerArmKey: "b", pendingAction: null, lastError: null, liveProductKey: null });
    const b = applied.arms.find((a) => a.key === "b")!;
    const gallery = (await getProductGallery(admin, productGid))!;
    expect(gallery.media[0]!.id).toBe(b.shopifyFileId);
    expect(gallery.media.filter((m) => m.id === b.shopifyFileId)).toHaveLength(1);
    expect(applied.arms.find((a) => a.key === "c")).toMatchObject({ fileStatus: "deleted" });
    expect(metafieldOf()).toBeUndefined();
    expect([shopify.count("FileUpdateReferences"), shopify.count("ProductReorderGallery"), shopify.count("ExperimentFileDelete")]).toEqual([1, 1, 1]);

    const calls = shopify.total();
    await handlers["experiment-apply-winner"](payload, context(1));
    expect(shopify.total()).toBe(calls);
    expect((await getProductGallery(admin, productGid))!.media.map((m) => m.id)).toEqual(gallery.media.map((m) => m.id));
  }, 60_000);

  it("finishes an apply interrupted after the attach without attaching or moving the image again", async () => {
    const { shopId, id, productGid, payload } = await draft();
    await startExperiment({ ...jobDeps(admin), admin }, shopId, id);
    await requestApplyWinner(requests(), shopId, id, "b", { deleteLosers: false });
    const shopify = watchedAdmin((operation, calls) => {
      if (operation === "ExperimentMetafieldsDelete" && calls === 1) throw new TypeError("fetch failed");
      return undefined;
    });
    const handlers = experimentHandlers(jobDeps(shopify.admin));
    await expect(handlers["experiment-apply-winner"](payload, context(1))).rejects.toThrow("fetch failed");
    expect(await requireExperiment(t.db, shopId, id)).toMatchObject({ status: "running", pendingAction: "apply", lastError: "fetch failed" });

    await handlers["experiment-apply-winner"](payload, context(2));
    const applied = await requireExperiment(t.db, shopId, id);
    expect(applied).toMatchObject({ status: "winner_applied", winnerArmKey: "b", pendingAction: null });
    expect((await getProductGallery(admin, productGid))!.media[0]!.id).toBe(applied.arms.find((a) => a.key === "b")!.shopifyFileId);
    expect([shopify.count("FileUpdateReferences"), shopify.count("ProductReorderGallery")]).toEqual([1, 1]);
  }, 60_000);
});
