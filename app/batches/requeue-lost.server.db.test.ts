import { describe, expect, it } from "vitest";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { createProviderRegistry } from "~/providers/registry.server";
import type { EnqueueOptions, Job, JobQueue } from "~/queue/types";
import { batchRequest, seedProducts, seedShop } from "../../test/batches/fixtures";
import { useTestDatabase } from "../../test/support/use-test-database";
import { createBatch } from "./create-batch.server";
import { itemJobId } from "./enqueue.server";
import { requeueLostItems } from "./requeue-lost.server";

const t = useTestDatabase({ emptyBeforeEach: false });
const NOW = new Date("2026-11-20T12:00:00Z");
const STALE_MS = 60_000;
let shops = 0;

function recordingQueue() {
  const enqueued: { job: Job; options: EnqueueOptions }[] = [];
  const queue: Pick<JobQueue, "enqueue"> = {
    enqueue: async (job, options) => void enqueued.push({ job, options }),
  };
  return { queue, enqueued };
}

async function batchOf(products: number) {
  const shop = await seedShop(t.db, `requeue-${process.pid}-${++shops}.myshopify.com`);
  const gids = await seedProducts(t.db, shop.id, products, "https://cdn.shopify.com/s/files/1/0000/0001/files/photo.jpg");
  const created = await createBatch(
    { db: t.db, registry: createProviderRegistry({}), presets: PRESET_LIBRARY, now: () => NOW, concurrency: 2, queue: recordingQueue().queue },
    shop.id,
    batchRequest(gids),
  );
  if (!created.ok) throw new Error(created.reasons.join("; "));
  const items = await t.db.batchItem.findMany({ where: { batchId: created.batchId }, orderBy: { productGid: "asc" } });
  return { batchId: created.batchId, items };
}

const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe("requeueLostItems", () => {
  it("enqueues again the open items of active batches left untouched too long, and nothing else", async () => {
    const { batchId, items } = await batchOf(6);
    const [staleQueued, freshQueued, waitingOutRateLimit, staleRunning, liveRunning, done] = items.map((i) => i.id) as string[];
    await t.db.batch.update({ where: { id: batchId }, data: { status: "running" } });
    const set = (id: string, data: Record<string, unknown>) => t.db.batchItem.update({ where: { id }, data });
    // updatedAt is written explicitly: Prisma's @updatedAt only fills it when not given.
    await set(staleQueued!, { updatedAt: ago(5 * STALE_MS) });
    await set(freshQueued!, { updatedAt: ago(STALE_MS / 2) });
    await set(waitingOutRateLimit!, { updatedAt: ago(5 * STALE_MS), nextAttemptAt: new Date(NOW.getTime() + 30_000) });
    await set(staleRunning!, { status: "running", updatedAt: ago(5 * STALE_MS) });
    await set(liveRunning!, { status: "running", updatedAt: ago(1_000) });
    await set(done!, { status: "succeeded", updatedAt: ago(5 * STALE_MS) });

    const { queue, enqueued } = recordingQueue();
    expect(await requeueLostItems({ db: t.db, queue, now: () => NOW, staleMs: STALE_MS })).toBe(2);
    expect(enqueued.map((e) => e.options.jobId).sort()).toEqual([itemJobId(staleQueued!), itemJobId(staleRunning!)].sort());
    for (const { job, options } of enqueued) {
      expect(job.name).toBe("generate-item");
      expect(options.rerunFinished).toBe(true);
    }
  });

  it("leaves paused, canceled and completed batches alone", async () => {
    for (const status of ["paused", "canceled", "completed"]) {
      const { batchId, items } = await batchOf(1);
      await t.db.batch.update({ where: { id: batchId }, data: { status } });
      await t.db.batchItem.update({ where: { id: items[0]!.id }, data: { updatedAt: ago(5 * STALE_MS) } });
      const { queue, enqueued } = recordingQueue();
      await requeueLostItems({ db: t.db, queue, now: () => NOW, staleMs: STALE_MS });
      expect(enqueued.filter((e) => e.options.jobId === itemJobId(items[0]!.id)), status).toEqual([]);
    }
  });
});
