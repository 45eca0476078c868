/**
 * A/B upkeep on SQLite and PostgreSQL against the local Shopify store: a test
 * past the shop's longest duration is stopped like the Stop button stops it
 * (storefront metafield removed) by one job per experiment, once; raw events
 * past each shop's retention are deleted in bounded statements while the
 * visitors, aggregates and so the results page stay as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db/client.server";
import type { EnqueueOptions, Job, JobName } from "~/queue/types";
import { saveShopSettings } from "~/settings/settings.server";
import { DEFAULT_SHOP_SETTINGS, type ShopSettings } from "~/settings/shop-settings";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import { ensureExperimentMetafieldDefinition, setExperimentMetafield } from "~/shopify/experiments.server";
import { experimentStoreState } from "../../test/shopify-store/resolvers/experiments";
import type { LocalStore } from "../../test/shopify-store/server";
import { SHOP, startTestStore, storeAdmin } from "../../test/shopify-store/test-harness";
import { useTestDatabase } from "../../test/support/use-test-database";
import { storefrontConfig } from "./config";
import type { ExperimentDeps } from "./experiments.server";
import { experimentResults } from "./results.server";
import { enqueueExperimentUpkeep, maxDaysJobId, pruneEventsJobId, pruneExperimentEvents, stopAtMaxDays, type MaxDaysDeps } from "./upkeep.server";

const t = useTestDatabase();
const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date("2026-11-20T10:30:00Z");
let store: LocalStore;
let admin: AdminGraphql;

beforeAll(async () => {
  store = await startTestStore();
  admin = await storeAdmin(store);
  await ensureExperimentMetafieldDefinition(admin);
});
afterAll(async () => {
  await store?.close();
});

function recordingQueue() {
  const jobs: { job: Job; options: EnqueueOptions }[] = [];
  return { jobs, queue: { enqueue: async <N extends JobName>(job: Job<N>, options: EnqueueOptions) => void jobs.push({ job: job as Job, options }) } };
}

function maxDaysDeps(now = NOW): MaxDaysDeps {
  const experimentDeps = async (domain: string): Promise<ExperimentDeps> => {
    expect(domain).toBe(SHOP);
    return { db: t.db, admin, storage: { get: async () => null }, appUrl: "https://app.example", now: () => now, sleep: async () => {} };
  };
  return { db: t.db, now: () => now, experimentDeps };
}

async function shopWith(domain: string, settings: { ab?: Partial<ShopSettings["ab"]>; privacy?: Partial<ShopSettings["privacy"]> } = {}) {
  const shop = await t.db.shop.create({ data: { domain } });
  await saveShopSettings(t.db, shop.id, {
    ...DEFAULT_SHOP_SETTINGS,
    ab: { ...DEFAULT_SHOP_SETTINGS.ab, ...settings.ab },
    privacy: { ...DEFAULT_SHOP_SETTINGS.privacy, ...settings.privacy },
  });
  return shop;
}

function productGids(n: number): string[] {
  return [...store.data.shops.get(SHOP)!.products.values()].slice(0, n).map((p) => `gid://shopify/Product/${p.id}`);
}

/** A live experiment as start leaves it: its row and its storefront metafield. */
async function liveExperiment(shopId: string, productGid: string, startedAt: Date, status: "running" | "paused" = "running") {
  const experiment = await t.db.experiment.create({
    data: {
      shopId,
      productGid,
      status,
      liveProductKey: `${shopId}|${productGid}`,
      controlImageUrl: "https://cdn.shopify.com/s/files/1/shirt.png",
      controlFileName: "shirt",
      startedAt,
      arms: {
        create: [
          { shopId, key: "a", label: "Control", isControl: true, weight: 50, fileStatus: "ready", imageUrl: "https://cdn.shopify.com/s/files/1/shirt.png" },
          { shopId, key: "b", label: "Variant B", weight: 50, fileStatus: "ready", imageUrl: "https://cdn.shopify.com/s/files/1/variant.png" },
        ],
      },
    },
    include: { arms: true },
  });
  await setExperimentMetafield(admin, productGid, storefrontConfig(experiment));
  return experiment;
}

const metafieldOn = (productGid: string) => [...experimentStoreState(store.data.shops.get(SHOP)!).metafields.values()].find((m) => m.ownerId === productGid);

describe("the longest test duration", () => {
  it("stops a running test once it has run maxDays, with the Stop button's effect, once", async () => {
    const shop = await shopWith(SHOP, { ab: { maxDays: 14 } });
    const [expiredGid, youngGid, pausedGid] = productGids(3) as [string, string, string];
    const expired = await liveExperiment(shop.id, expiredGid, new Date(NOW.getTime() - 14 * DAY));
    const young = await liveExperiment(shop.id, youngGid, new Date(NOW.getTime() - 14 * DAY + 60_000));
    await liveExperiment(shop.id, pausedGid, new Date(NOW.getTime() - 30 * DAY), "paused");

    // Every worker's tick may enqueue it; the fixed id makes the repeats no-ops.
    const { jobs, queue } = recordingQueue();
    const window = { from: NOW, to: new Date(NOW.getTime() + 60_000) };
    await enqueueExperimentUpkeep({ db: t.db, queue, now: () => NOW }, window);
    await enqueueExperimentUpkeep({ db: t.db, queue, now: () => NOW }, window);
    expect(jobs.map((j) => [j.job.name, j.job.payload, j.options.jobId])).toEqual([
      ["experiment-max-days", { shopId: shop.id, experimentId: expired.id }, maxDaysJobId(expired.id)],
      ["experiment-max-days", { shopId: shop.id, experimentId: expired.id }, maxDaysJobId(expired.id)],
    ]);
    expect(jobs[0]!.options.rerunFinished).toBe(true);

    expect(await stopAtMaxDays(maxDaysDeps(), { shopId: shop.id, experimentId: expired.id })).toBe(true);
    expect(await t.db.experiment.findUniqueOrThrow({ where: { id: expired.id } })).toMatchObject({ status: "stopped", stopReason: "max_days", stoppedAt: NOW, liveProductKey: null });
    expect(metafieldOn(expiredGid)).toBeUndefined();
    // A redelivered job finds it stopped and changes nothing.
    const later = new Date(NOW.getTime() + DAY);
    expect(await stopAtMaxDays(maxDaysDeps(later), { shopId: shop.id, experimentId: expired.id })).toBe(false);
    expect((await t.db.experiment.findUniqueOrThrow({ where: { id: expired.id } })).stoppedAt).toEqual(NOW);

    expect(await t.db.experiment.findUniqueOrThrow({ where: { id: young.id } })).toMatchObject({ status: "running", stopReason: null });
    expect(JSON.parse(metafieldOn(youngGid)!.value)).toMatchObject({ experimentId: young.id, status: "running" });
    // Paused tests show the control already and are left alone.
    expect(JSON.parse(metafieldOn(pausedGid)!.value)).toMatchObject({ status: "paused" });
    jobs.length = 0;
    await enqueueExperimentUpkeep({ db: t.db, queue, now: () => NOW }, window);
    expect(jobs).toEqual([]);
  }, 60_000);

  it("leaves a test running when the merchant raised the limit, or the id is another shop's", async () => {
    const shop = await shopWith(SHOP, { ab: { maxDays: 7 } });
    const other = await shopWith("other-store.myshopify.com", { ab: { maxDays: 1 } });
    const [gid] = productGids(1) as [string];
    const experiment = await liveExperiment(shop.id, gid, new Date(NOW.getTime() - 8 * DAY));
    const { jobs, queue } = recordingQueue();
    await enqueueExperimentUpkeep({ db: t.db, queue, now: () => NOW }, { from: NOW, to: new Date(NOW.getTime() + 60_000) });
    expect(jobs).toHaveLength(1);

    await saveShopSettings(t.db, shop.id, { ...DEFAULT_SHOP_SETTINGS, ab: { ...DEFAULT_SHOP_SETTINGS.ab, maxDays: 30 } });
    expect(await stopAtMaxDays(maxDaysDeps(), { shopId: shop.id, experimentId: experiment.id })).toBe(false);
    expect(await stopAtMaxDays(maxDaysDeps(), { shopId: other.id, experimentId: experiment.id })).toBe(false);
    expect((await t.db.experiment.findUniqueOrThrow({ where: { id: experiment.id } })).status).toBe("running");
    expect(metafieldOn(gid)).toBeDefined();
  }, 60_000);
});

async function seedEvents(db: Db, shopId: string, experimentId: string, receivedAt: Date, n: number, prefix: string) {
  await db.experimentEvent.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      shopId,
      experimentId,
      armKey: i % 2 ? "b" : "a",
      type: "view",
      dedupeKey: `e:${prefix}${i}`,
      clientId: `c${prefix}${i}`,
      occurredAt: receivedAt,
      receivedAt,
    })),
  });
}

/** t.db, counting the raw statements it runs and the rows each one changed. */
function countingDb(): { db: Db; statements: number[] } {
  const statements: number[] = [];
  const db = new Proxy(t.db, {
    get(target, property, receiver) {
      if (property !== "$executeRaw") return Reflect.get(target, property, receiver);
      return async (...args: Parameters<Db["$executeRaw"]>) => {
        const count = await target.$executeRaw(...args);
        statements.push(count);
        return count;
      };
    },
  });
  return { db, statements };
}

describe("event retention", () => {
  it("deletes each shop's raw events past its own retention, a bounded batch per statement, and keeps what the results page reads", async () => {
    const shop = await shopWith(SHOP, { privacy: { eventRetentionDays: 30 } });
    const other = await shopWith("other-store.myshopify.com");
    const [gid] = productGids(1) as [string];
    const experiment = await liveExperiment(shop.id, gid, new Date(NOW.getTime() - 40 * DAY));
    const otherExperiment = await t.db.experiment.create({ data: { shopId: other.id, productGid: gid, controlImageUrl: "x", controlFileName: "x", arms: { create: [{ shopId: other.id, key: "a", label: "Control", isControl: true, weight: 100 }] } } });
    await seedEvents(t.db, shop.id, experiment.id, new Date(NOW.getTime() - 30 * DAY - 1000), 7, "old");
    await seedEvents(t.db, shop.id, experiment.id, new Date(NOW.getTime() - 30 * DAY + 60_000), 2, "new");
    await seedEvents(t.db, other.id, otherExperiment.id, new Date(NOW.getTime() - 31 * DAY), 3, "other");
    await t.db.experimentVisitor.createMany({
      data: [
        { experimentId: experiment.id, clientId: "c1", shopId: shop.id, armKey: "a", firstSeenAt: new Date(NOW.getTime() - 35 * DAY) },
        { experimentId: experiment.id, clientId: "c2", shopId: shop.id, armKey: "b", purchased: true, revenueMicros: 25_000_000n, firstSeenAt: new Date(NOW.getTime() - 35 * DAY) },
      ],
    });
    await t.db.experimentDailyAggregate.createMany({
      data: [
        { experimentId: experiment.id, armKey: "a", day: "2026-10-16", shopId: shop.id, visitors: 400, views: 900, addToCarts: 30, addToCartVisitors: 25 },
        { experimentId: experiment.id, armKey: "b", day: "2026-10-16", shopId: shop.id, visitors: 410, views: 950, addToCarts: 50, addToCartVisitors: 41, orders: 1, purchasers: 1, revenueMicros: 25_000_000n },
      ],
    });
    const before = await experimentResults(t.db, shop.id, await t.db.experiment.findUniqueOrThrow({ where: { id: experiment.id }, include: { arms: true } }));

    // Hourly: a tick inside an hour enqueues no pruning, one that crosses it a job per shop.
    const { jobs, queue } = recordingQueue();
    await enqueueExperimentUpkeep({ db: t.db, queue, now: () => NOW }, { from: NOW, to: new Date(NOW.getTime() + 60_000) });
    expect(jobs.filter((j) => j.job.name === "prune-experiment-events")).toEqual([]);
    await enqueueExperimentUpkeep({ db: t.db, queue, now: () => NOW }, { from: new Date("2026-11-20T10:59:00Z"), to: new Date("2026-11-20T11:00:00Z") });
    const prunes = jobs.filter((j) => j.job.name === "prune-experiment-events");
    expect(prunes.map((j) => j.options.jobId).sort()).toEqual([pruneEventsJobId(shop.id), pruneEventsJobId(other.id)].sort());

    const { db, statements } = countingDb();
    expect(await pruneExperimentEvents({ db, dialect: t.kind, now: () => NOW, batchSize: 3 }, { shopId: shop.id })).toBe(7);
    expect(statements).toEqual([3, 3, 1]);
    expect((await t.db.experimentEvent.findMany({ where: { shopId: shop.id }, select: { dedupeKey: true } })).map((e) => e.dedupeKey).sort()).toEqual(["e:new0", "e:new1"]);
    // The other shop keeps its events for its own 90 days.
    expect(await pruneExperimentEvents({ db: t.db, dialect: t.kind, now: () => NOW }, { shopId: other.id })).toBe(0);
    expect(await t.db.experimentEvent.count({ where: { shopId: other.id } })).toBe(3);

    expect(await t.db.experimentVisitor.count({ where: { experimentId: experiment.id } })).toBe(2);
    expect(await t.db.experimentDailyAggregate.count({ where: { experimentId: experiment.id } })).toBe(2);
    const after = await experimentResults(t.db, shop.id, await t.db.experiment.findUniqueOrThrow({ where: { id: experiment.id }, include: { arms: true } }));
    expect(after).toEqual(before);
    expect(after.arms.map((a) => a.visitors)).toEqual([400, 410]);
    // Running again finds nothing more to delete.
    expect(await pruneExperimentEvents({ db: t.db, dialect: t.kind, now: () => NOW }, { shopId: shop.id })).toBe(0);
  }, 60_000);
});
