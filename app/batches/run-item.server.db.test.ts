/**
 * The "generate-item" handler against a real database, the real OpenAI SDK
 * talking to test/openai-server (which records every request it gets), real
 * generateCandidates and local storage in a temp dir. Jobs are delivered by
 * calling the handler directly, as a queue would, including twice at once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { createProviderRegistry } from "~/providers/registry.server";
import { EmbeddedJobQueue } from "~/queue/embedded.server";
import { NonRetryableJobError, RetryLaterError, type JobContext } from "~/queue/types";
import { createLocalStorage } from "~/storage/local-storage.server";
import { StorageError } from "~/storage/errors";
import { batchRequest, seedProducts, seedShop, startPhotoServer, type PhotoServer } from "../../test/batches/fixtures";
import { useTestDatabase } from "../../test/support/use-test-database";
import { scripted, startOpenAiServer, type FakeOpenAiServer } from "../../test/openai-server/server";
import { createBatch } from "./create-batch.server";
import { ITEM_MAX_ATTEMPTS } from "./enqueue.server";
import { itemRunnerDeps } from "./handlers.server";
import { batchProgress } from "./progress.server";
import { runItem } from "./run-item.server";
import { cancel, retryFailed } from "./control.server";

const t = useTestDatabase({ emptyBeforeEach: false });
let openai: FakeOpenAiServer;
let photos: PhotoServer;
let storageDir: string;
let shopCounter = 0;

beforeAll(async () => {
  openai = await startOpenAiServer();
  photos = await startPhotoServer();
  storageDir = mkdtempSync(path.join(tmpdir(), "pis-run-item-"));
});
afterAll(async () => {
  await openai.close();
  await photos.close();
  rmSync(storageDir, { recursive: true, force: true });
});
beforeEach(() => {
  openai.requests.length = 0;
});

const context = (attempt = 1): JobContext => ({ attempt, signal: new AbortController().signal });
const imageCalls = () => openai.requests.filter((r) => r.path.startsWith("/v1/images/")).length;

function deps(options: { diskFull?: boolean } = {}) {
  const registry = createProviderRegistry({ OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseURL });
  const storage = createLocalStorage(storageDir, {
    ...(options.diskFull && {
      writeFile: () => Promise.reject(Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC", errno: -28 })),
    }),
  });
  return { registry, run: itemRunnerDeps({ db: t.db, registry, storage, fetchImage: photos.fetchImage }) };
}

/** A shop with one paid batch of `products` × 1 preset × `candidates`; returns its items. */
async function paidBatch(options: { products?: number; candidates?: number; budgetMicros?: number; capMicros?: number; photoUrl?: string } = {}) {
  const shop = await seedShop(t.db, `run-${process.pid}-${++shopCounter}.myshopify.com`, options.budgetMicros);
  const gids = await seedProducts(t.db, shop.id, options.products ?? 1, options.photoUrl ?? photos.url);
  const { registry } = deps();
  const created = await createBatch(
    {
      db: t.db,
      registry,
      presets: PRESET_LIBRARY,
      now: () => new Date(),
      concurrency: 2,
      queue: new EmbeddedJobQueue(t.db, { queue: `run-item-${shopCounter}`, dialect: t.kind }),
    },
    shop.id,
    batchRequest(gids, {
      providerId: "openai",
      model: "gpt-image-1.5",
      candidatesPerProduct: options.candidates ?? 1,
      ...(options.capMicros !== undefined && { budgetCapMicros: options.capMicros }),
    }),
  );
  if (!created.ok) throw new Error(created.reasons.join("; "));
  const items = await t.db.batchItem.findMany({ where: { batchId: created.batchId }, orderBy: [{ productGid: "asc" }, { candidateIndex: "asc" }] });
  return { shop, batchId: created.batchId, items };
}

async function item(id: string) {
  return t.db.batchItem.findUniqueOrThrow({ where: { id } });
}

describe("runItem: exactly once", () => {
  it("runs an item delivered twice at once with one provider call, one ledger entry and its candidates stored once", async () => {
    const { run } = deps();
    const { shop, batchId, items } = await paidBatch();
    const [only] = items;
    // The first call is slow, so the second delivery arrives while it is in flight.
    openai.enqueue(scripted.slow(400));
    const results = await Promise.allSettled([runItem(run, { itemId: only!.id }, context()), runItem(run, { itemId: only!.id }, context())]);

    expect(imageCalls()).toBe(1);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(RetryLaterError);

    // The queue comes back later with the same job: nothing more happens.
    await runItem(run, { itemId: only!.id }, context(2));
    expect(imageCalls()).toBe(1);

    const settled = await item(only!.id);
    expect(settled.status).toBe("succeeded");
    expect(settled.attempts).toBe(1);
    expect(Number(settled.costMicros)).toBeGreaterThan(0);
    const ledger = await t.db.costLedgerEntry.findMany({ where: { shopId: shop.id } });
    expect(ledger).toHaveLength(1);
    expect(ledger[0]!.amountMicros).toBe(settled.costMicros);
    const candidates = await t.db.candidate.findMany({ where: { itemId: only!.id } });
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatchObject({ shopId: shop.id, providerId: "openai", model: "gpt-image-1.5", seed: only!.seed, ordinal: 0 });
    expect(candidates[0]!.storageKey).toMatch(new RegExp(`^shops/${shop.id}/`));
    expect((await t.db.batch.findUniqueOrThrow({ where: { id: batchId } })).status).toBe("completed");
  });
});

describe("runItem: the batch's roll-up", () => {
  it("completes the batch when a redelivered job finds its item settled but the batch still running", async () => {
    const { run } = deps();
    const { batchId, items } = await paidBatch();
    const [only] = items;
    await runItem(run, { itemId: only!.id }, context());
    // As if the roll-up after the result had failed (a busy database) and the queue retried the job.
    await t.db.batch.update({ where: { id: batchId }, data: { status: "running", finishedAt: null } });

    await runItem(run, { itemId: only!.id }, context(2));

    expect(imageCalls()).toBe(1);
    expect((await t.db.batch.findUniqueOrThrow({ where: { id: batchId } })).status).toBe("completed");
  });
});

describe("runItem: provider errors", () => {
  it("waits out a 429 for as long as retry-after says, without using up an attempt", async () => {
    const { run } = deps();
    const { items } = await paidBatch();
    openai.enqueue(scripted.rateLimited({ retryAfterSeconds: 7 }));
    const error = await runItem(run, { itemId: items[0]!.id }, context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).delayMs).toBeGreaterThanOrEqual(6_000);
    expect((error as RetryLaterError).delayMs).toBeLessThanOrEqual(7_000);
    expect(await item(items[0]!.id)).toMatchObject({ status: "queued", attempts: 0, errorKind: "rate_limited" });

    await runItem(run, { itemId: items[0]!.id }, context());
    expect(await item(items[0]!.id)).toMatchObject({ status: "succeeded", attempts: 1, errorKind: null });
  });

  it("marks a moderated image blocked with the categories, and does not retry it", async () => {
    const { run } = deps();
    const { batchId, items } = await paidBatch();
    openai.enqueue(scripted.moderationBlocked(["sexual", "violence"]));
    await runItem(run, { itemId: items[0]!.id }, context());
    const blocked = await item(items[0]!.id);
    expect(blocked.status).toBe("blocked");
    expect(blocked.errorMessage).toMatch(/safety system blocked this image/);
    expect(blocked.errorMessage).toMatch(/sexual/);
    await runItem(run, { itemId: items[0]!.id }, context());
    expect(imageCalls()).toBe(1);
    expect((await t.db.batch.findUniqueOrThrow({ where: { id: batchId } })).status).toBe("completed");
  });

  it("fails an item at once on a rejected key, with a reason that shows no part of the key", async () => {
    const { run } = deps();
    const { shop, items } = await paidBatch();
    openai.enqueue(scripted.unauthorized());
    await expect(runItem(run, { itemId: items[0]!.id }, context())).rejects.toBeInstanceOf(NonRetryableJobError);
    const failed = await item(items[0]!.id);
    expect(failed).toMatchObject({ status: "failed", errorKind: "authentication" });
    expect(failed.errorMessage).toMatch(/own key on the Settings page.*operator has to renew the API key/);
    expect(failed.errorMessage).not.toMatch(/sk-/);
    expect(await t.db.costLedgerEntry.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("pauses the whole batch when the provider account is out of quota, and later items make no call", async () => {
    const { run } = deps();
    const { shop, batchId, items } = await paidBatch({ products: 2 });
    openai.enqueue(scripted.insufficientQuota());
    await runItem(run, { itemId: items[0]!.id }, context());
    expect(await item(items[0]!.id)).toMatchObject({ status: "queued", attempts: 0, errorKind: "quota_exhausted" });
    expect(await t.db.batch.findUniqueOrThrow({ where: { id: batchId } })).toMatchObject({ status: "paused", pausedReason: "quota" });

    await runItem(run, { itemId: items[1]!.id }, context());
    expect(imageCalls()).toBe(1);
    expect((await item(items[1]!.id)).status).toBe("queued");

    const progress = await batchProgress({ db: t.db, now: () => new Date() }, shop.id, batchId);
    expect(progress?.pausedMessage).toMatch(/run out of credit or quota.*exceeded your current quota.*resume/);
  });

  it("retries server errors with the reason kept, and fails the item on the last attempt", async () => {
    const { run } = deps();
    const { batchId, items } = await paidBatch();
    const id = items[0]!.id;
    openai.enqueue(scripted.serverError(500));
    const first = await runItem(run, { itemId: id }, context(1)).catch((e: unknown) => e);
    expect(first).not.toBeInstanceOf(NonRetryableJobError);
    expect(await item(id)).toMatchObject({ status: "queued", attempts: 1, errorKind: "transient" });

    openai.enqueue(scripted.serverError(503));
    await expect(runItem(run, { itemId: id }, context(ITEM_MAX_ATTEMPTS))).rejects.toBeInstanceOf(NonRetryableJobError);
    const failed = await item(id);
    expect(failed).toMatchObject({ status: "failed", attempts: 2, errorKind: "transient" });
    expect(failed.errorMessage).toMatch(/temporary problem/);
    expect((await t.db.batch.findUniqueOrThrow({ where: { id: batchId } })).status).toBe("completed");
  });
});

describe("runItem: product photos", () => {
  it("fails the item at once, before any provider call, when its product photo is gone", async () => {
    const { run } = deps();
    const { items } = await paidBatch({ photoUrl: photos.url.replace("bottle.jpg", "deleted.jpg") });
    await expect(runItem(run, { itemId: items[0]!.id }, context())).rejects.toBeInstanceOf(NonRetryableJobError);
    const failed = await item(items[0]!.id);
    expect(failed).toMatchObject({ status: "failed", errorKind: "photo", attempts: 1 });
    expect(failed.errorMessage).toMatch(/product photo no longer exists/);
    expect(imageCalls()).toBe(0);
  });
});

describe("runItem: a paid call whose image is lost", () => {
  it("enters the call in the ledger before storing, fails the item with the reason, and a retry pays and is entered again", async () => {
    const { shop, batchId, items } = await paidBatch();
    const id = items[0]!.id;
    await expect(runItem(deps({ diskFull: true }).run, { itemId: id }, context())).rejects.toBeInstanceOf(NonRetryableJobError);

    const failed = await item(id);
    expect(failed).toMatchObject({ status: "failed", errorKind: "storage", attempts: 1 });
    expect(failed.errorMessage).toMatch(/Saving the image failed: Storage is full/);
    expect(Number(failed.costMicros)).toBeGreaterThan(0);
    const first = await t.db.costLedgerEntry.findMany({ where: { itemId: id } });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ shopId: shop.id, attempt: 1, amountMicros: failed.costMicros, providerId: "openai", model: "gpt-image-1.5" });
    expect(await t.db.candidate.count({ where: { itemId: id } })).toBe(0);
    const progress = await batchProgress({ db: t.db, now: () => new Date() }, shop.id, batchId);
    expect(progress?.spentMicros).toBe(Number(failed.costMicros));
    expect(progress?.products[0]?.errors[0]).toMatchObject({ state: "failed", kind: "storage", paidMicros: Number(failed.costMicros) });

    // The queue delivers the job again: the item is settled, nothing is called or entered.
    await runItem(deps({ diskFull: true }).run, { itemId: id }, context(2));
    expect(imageCalls()).toBe(1);
    expect(await t.db.costLedgerEntry.count({ where: { itemId: id } })).toBe(1);

    // Space freed, the merchant retries: a new attempt, a new call, a second row.
    const control = { db: t.db, queue: new EmbeddedJobQueue(t.db, { queue: `lost-image-${shopCounter}`, dialect: t.kind }), now: () => new Date() };
    expect(await retryFailed(control, shop.id, batchId)).toEqual({ ok: true });
    await runItem(deps().run, { itemId: id }, context());
    const retried = await item(id);
    expect(retried).toMatchObject({ status: "succeeded", attempts: 2, errorKind: null });
    expect(imageCalls()).toBe(2);
    const ledger = await t.db.costLedgerEntry.findMany({ where: { itemId: id }, orderBy: { attempt: "asc" } });
    expect(ledger.map((e) => e.attempt)).toEqual([1, 2]);
    expect(retried.costMicros).toBe(ledger[0]!.amountMicros + ledger[1]!.amountMicros);
    const candidates = await t.db.candidate.findMany({ where: { itemId: id } });
    expect(candidates).toHaveLength(1);
    expect(candidates[0]!.costMicros).toBe(ledger[1]!.amountMicros);
    expect((await batchProgress({ db: t.db, now: () => new Date() }, shop.id, batchId))?.spentMicros).toBe(Number(retried.costMicros));
  });

  it("enters an attempt's call once when its ledger write runs again", async () => {
    const { run } = deps();
    const { items } = await paidBatch();
    const id = items[0]!.id;
    const call = { costMicros: 41_000, providerId: "openai", model: "gpt-image-1.5" };
    // As a write retried after its commit's acknowledgement was lost, then the image is lost too.
    const generate: typeof run.generate = async (_run, input) => {
      await input.onAnswer?.(call);
      await input.onAnswer?.(call);
      throw new StorageError("Storage is full: could not save the image.", { retryable: false, code: "ENOSPC" });
    };
    await expect(runItem({ ...run, generate }, { itemId: id }, context())).rejects.toBeInstanceOf(NonRetryableJobError);

    expect(await item(id)).toMatchObject({ status: "failed", errorKind: "storage", costMicros: 41_000n });
    const ledger = await t.db.costLedgerEntry.findMany({ where: { itemId: id } });
    expect(ledger.map((e) => [e.attempt, e.amountMicros])).toEqual([[1, 41_000n]]);
  });

  it("keeps the call of a worker presumed dead after its answer, and enters the call of the delivery that takes over as the next attempt", async () => {
    const { run } = deps();
    const { items } = await paidBatch();
    const id = items[0]!.id;
    const call = { costMicros: 41_000, providerId: "openai", model: "gpt-image-1.5" };
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let answered!: () => void;
    const firstAnswered = new Promise<void>((resolve) => (answered = resolve));
    let calls = 0;
    const generate: typeof run.generate = async (_run, input) => {
      calls++;
      const mine = calls;
      await input.onAnswer?.(call);
      if (mine === 1) {
        // Paid, then the worker stops answering before its image is stored.
        answered();
        await stalled;
      }
      return { candidates: [], costMicros: call.costMicros, providerId: call.providerId, model: call.model };
    };
    const presumedDead = runItem({ ...run, generate }, { itemId: id }, context());
    await firstAnswered;
    expect(await item(id)).toMatchObject({ status: "running", attempts: 1, costMicros: 41_000n });

    // Another worker comes after the first one's lease would have run out.
    const later = () => new Date(Date.now() + 10 * 60_000);
    await runItem({ ...run, generate, now: later }, { itemId: id }, context(2));
    release();
    await presumedDead;

    expect(await item(id)).toMatchObject({ status: "succeeded", attempts: 2, costMicros: 82_000n });
    const ledger = await t.db.costLedgerEntry.findMany({ where: { itemId: id }, orderBy: { attempt: "asc" } });
    expect(ledger.map((e) => [e.attempt, e.amountMicros])).toEqual([
      [1, 41_000n],
      [2, 41_000n],
    ]);
  });

  it("hands back an item whose call was paid before a shutdown without giving its attempt number out again", async () => {
    const { run } = deps();
    const { items } = await paidBatch();
    const id = items[0]!.id;
    const call = { costMicros: 41_000, providerId: "openai", model: "gpt-image-1.5" };
    const shutdown = new AbortController();
    const generate: typeof run.generate = async (_run, input) => {
      await input.onAnswer?.(call);
      if (input.signal === shutdown.signal) {
        shutdown.abort();
        input.signal.throwIfAborted();
      }
      return { candidates: [], costMicros: call.costMicros, providerId: call.providerId, model: call.model };
    };
    await expect(runItem({ ...run, generate }, { itemId: id }, { attempt: 1, signal: shutdown.signal })).rejects.toThrow();
    expect(await item(id)).toMatchObject({ status: "queued", attempts: 1, costMicros: 41_000n });

    await runItem({ ...run, generate }, { itemId: id }, context());
    expect(await item(id)).toMatchObject({ status: "succeeded", attempts: 2, costMicros: 82_000n });
    expect((await t.db.costLedgerEntry.findMany({ where: { itemId: id } })).map((e) => e.attempt).sort()).toEqual([1, 2]);
  });

  it("counts an answered call still storing its image at its cost, not also at its estimate", async () => {
    const { run } = deps();
    const { shop, batchId, items } = await paidBatch({ products: 2, budgetMicros: 5_000_000 });
    const estimate = Number(items[0]!.estimatedCostMicros);
    // Room for the first call at its cost and one and a half estimates more: enough for the second
    // image once the first is counted once, not if it were also still reserved.
    await t.db.costLedgerEntry.create({
      data: { shopId: shop.id, itemId: `elsewhere-${shop.id}`, providerId: "openai", model: "gpt-image-1.5", amountMicros: BigInt(5_000_000 - Math.floor(estimate * 2.5)) },
    });
    let storing!: () => void;
    const stored = new Promise<void>((resolve) => (storing = resolve));
    let answered!: () => void;
    const firstAnswered = new Promise<void>((resolve) => (answered = resolve));
    const generate: typeof run.generate = async (_run, input) => {
      await input.onAnswer?.({ costMicros: estimate, providerId: "openai", model: "gpt-image-1.5" });
      if (input.itemId === items[0]!.id) {
        answered();
        await stored;
      }
      return { candidates: [], costMicros: estimate, providerId: "openai", model: "gpt-image-1.5" };
    };
    const first = runItem({ ...run, generate }, { itemId: items[0]!.id }, context());
    await firstAnswered;
    await runItem({ ...run, generate }, { itemId: items[1]!.id }, context());
    storing();
    await first;

    expect((await item(items[1]!.id)).status).toBe("succeeded");
    expect((await item(items[0]!.id)).status).toBe("succeeded");
    expect((await t.db.batch.findUniqueOrThrow({ where: { id: batchId } })).status).toBe("completed");
    expect(await t.db.costLedgerEntry.count({ where: { itemId: { in: items.map((i) => i.id) } } })).toBe(2);
  });
});

describe("runItem: money and cancel", () => {
  it("pauses, without calling the provider, when the next image would pass the month's budget", async () => {
    const { run } = deps();
    const { shop, batchId, items } = await paidBatch({ products: 2, budgetMicros: 5_000_000 });
    // Something else spent most of the month's budget after this batch was launched.
    await t.db.costLedgerEntry.create({
      data: { shopId: shop.id, itemId: `elsewhere-${shop.id}`, providerId: "openai", model: "gpt-image-1.5", amountMicros: 4_999_990n },
    });
    await runItem(run, { itemId: items[0]!.id }, context());
    expect(imageCalls()).toBe(0);
    expect(await t.db.batch.findUniqueOrThrow({ where: { id: batchId } })).toMatchObject({ status: "paused", pausedReason: "budget" });
    expect((await item(items[0]!.id)).status).toBe("queued");
    const progress = await batchProgress({ db: t.db, now: () => new Date() }, shop.id, batchId);
    expect(progress?.pausedMessage).toMatch(/budget of \$5\.00 has \$0\.00001 left/);
  });

  it("counts the images in flight against the budget, so concurrent items cannot pass it together", async () => {
    const { run } = deps();
    const probe = await paidBatch();
    const perItem = Number(probe.items[0]!.estimatedCostMicros);
    const { shop, batchId, items } = await paidBatch({ products: 3, budgetMicros: 5_000_000 });
    // Spending elsewhere leaves room for one image and a half: the second concurrent item must see the first one's reservation.
    await t.db.costLedgerEntry.create({
      data: { shopId: shop.id, itemId: `elsewhere-${shop.id}`, providerId: "openai", model: "gpt-image-1.5", amountMicros: BigInt(5_000_000 - Math.floor(perItem * 1.5)) },
    });
    openai.enqueue(scripted.slow(300), scripted.slow(300), scripted.slow(300));
    await Promise.allSettled(items.map((i) => runItem(run, { itemId: i.id }, context())));

    expect(imageCalls()).toBe(1);
    const after = await t.db.batchItem.findMany({ where: { batchId } });
    expect(after.map((i) => i.status).sort()).toEqual(["queued", "queued", "succeeded"]);
    expect(after.filter((i) => i.status === "queued").every((i) => i.attempts === 0)).toBe(true);
    expect(await t.db.batch.findUniqueOrThrow({ where: { id: batchId } })).toMatchObject({ status: "paused", pausedReason: "budget" });
    expect(await t.db.costLedgerEntry.count({ where: { itemId: { in: items.map((i) => i.id) } } })).toBe(1);
  });

  it("pauses at the batch's own cap once its spend leaves too little for the next image", async () => {
    const { run } = deps();
    const probe = await paidBatch();
    const perItem = Number(probe.items[0]!.estimatedCostMicros);
    const { batchId, items } = await paidBatch({ products: 3, capMicros: perItem * 3 });
    await runItem(run, { itemId: items[0]!.id }, context());
    expect((await item(items[0]!.id)).status).toBe("succeeded");
    const spent = Number((await item(items[0]!.id)).costMicros);
    await runItem(run, { itemId: items[1]!.id }, context());
    const batch = await t.db.batch.findUniqueOrThrow({ where: { id: batchId } });
    // Whether the second image fits depends on what the first really cost.
    if (spent + perItem > perItem * 3) expect(batch).toMatchObject({ status: "paused", pausedReason: "batch-cap" });
    else expect((await item(items[1]!.id)).status).toBe("succeeded");
  });

  it("cancel stops queued items at once, while an image already in flight finishes and is paid for once", async () => {
    const { run } = deps();
    const { shop, batchId, items } = await paidBatch({ products: 3 });
    const control = { db: t.db, queue: new EmbeddedJobQueue(t.db, { queue: "cancel-test", dialect: t.kind }), now: () => new Date() };
    openai.enqueue(scripted.slow(400));
    const inFlight = runItem(run, { itemId: items[0]!.id }, context());
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await cancel(control, shop.id, batchId)).toEqual({ ok: true });
    await inFlight;
    await runItem(run, { itemId: items[1]!.id }, context());
    await runItem(run, { itemId: items[2]!.id }, context());

    expect(imageCalls()).toBe(1);
    expect((await item(items[0]!.id)).status).toBe("succeeded");
    expect((await item(items[1]!.id)).status).toBe("canceled");
    expect((await item(items[2]!.id)).status).toBe("canceled");
    expect(await t.db.costLedgerEntry.count({ where: { shopId: shop.id } })).toBe(1);
    expect((await t.db.batch.findUniqueOrThrow({ where: { id: batchId } })).status).toBe("canceled");
  });
});
