/**
 * Automation on a real database with a recording queue: what the products/*
 * webhooks decide, and what the jobs launch, wait for and publish.
 */
import { describe, expect, it } from "vitest";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { createProviderRegistry } from "~/providers/registry.server";
import type { EnqueueOptions, Job, JobName } from "~/queue/types";
import { RetryLaterError } from "~/queue/types";
import { saveShopSettings } from "~/settings/settings.server";
import { DEFAULT_SHOP_SETTINGS, type ShopSettings } from "~/settings/shop-settings";
import { useTestDatabase } from "../../test/support/use-test-database";
import { productCreated, productUpdated } from "./intake.server";
import { productPayloadSchema } from "./product-payload";
import { runNewProduct, runRefresh, runSchedulerTick, type AutomationJobDeps, type PublishBestInput } from "./jobs.server";

const t = useTestDatabase();
const DOMAIN = "auto.myshopify.com";
const GID = "gid://shopify/Product/501";
const PHOTO = { admin_graphql_api_id: "gid://shopify/MediaImage/9", status: "READY", media_content_type: "IMAGE", preview_image: { src: "http://127.0.0.1:9/p.png", width: 800, height: 800 } };

function payload(over: Record<string, unknown> = {}) {
  return productPayloadSchema.parse({ admin_graphql_api_id: GID, title: "Linen Shirt", body_html: "<p>Soft linen.</p>", media: [PHOTO], ...over });
}

function world(clock = { ms: Date.parse("2026-11-02T10:00:00Z") }) {
  const jobs: { job: Job; options: EnqueueOptions }[] = [];
  const published: PublishBestInput[] = [];
  const queue = { enqueue: async <N extends JobName>(job: Job<N>, options: EnqueueOptions) => void jobs.push({ job: job as Job, options }) };
  const now = () => new Date(clock.ms);
  const deps: AutomationJobDeps = {
    db: t.db,
    queue,
    now,
    planDeps: async () => ({ db: t.db, registry: createProviderRegistry({}), presets: PRESET_LIBRARY, now, concurrency: 2 }),
    photoRecheckMs: 1000,
    photoChecks: 3,
    followPollMs: 1000,
    tickMs: 60_000,
    brandKitEnabled: async () => false,
    publishBest: async (input) => void published.push(input),
  };
  return { jobs, published, deps, clock, intake: { db: t.db, queue, now } };
}

async function shopWith(automation: Partial<ShopSettings["automation"]>, extra: Partial<ShopSettings> = {}) {
  const shop = await t.db.shop.create({ data: { domain: DOMAIN } });
  await saveShopSettings(t.db, shop.id, { ...DEFAULT_SHOP_SETTINGS, ...extra, automation: { ...DEFAULT_SHOP_SETTINGS.automation, ...automation } });
  return shop;
}

const named = <T extends { job: Job }>(jobs: T[], name: JobName) => jobs.filter((j) => j.job.name === name);

describe("products/create", () => {
  it("records the product but starts nothing while automation is off", async () => {
    const w = world();
    await shopWith({ enabled: false });
    expect(await productCreated(w.intake, DOMAIN, payload(), new Date())).toBe("recorded");
    expect(w.jobs).toHaveLength(0);
    expect(await t.db.productCache.count()).toBe(1);
  });

  it("ignores shops that are not installed", async () => {
    const w = world();
    expect(await productCreated(w.intake, "stranger.myshopify.com", payload(), new Date())).toBe("ignored");
    expect(await t.db.productCache.count()).toBe(0);
  });

  it("launches one batch for the product under the automation settings, however often the job runs", async () => {
    const w = world();
    const shop = await shopWith({ enabled: true, candidatesPerProduct: 2 });
    expect(await productCreated(w.intake, DOMAIN, payload(), new Date())).toBe("enqueued");
    const [job] = named(w.jobs, "automation-new-product");
    expect(job?.options.jobId).toBe(`automation-new-product:${shop.id}:${GID}`);
    await runNewProduct(w.deps, { shopId: shop.id, productGid: GID });
    await runNewProduct(w.deps, { shopId: shop.id, productGid: GID });
    const batches = await t.db.batch.findMany({ where: { shopId: shop.id } });
    expect(batches).toHaveLength(1);
    expect(batches[0]?.source).toBe("automation-new-product");
    expect(named(w.jobs, "generate-item")).toHaveLength(2);
  });

  it("holds the items while the product has no photo, then starts them when one arrives", async () => {
    const w = world();
    const shop = await shopWith({ enabled: true, candidatesPerProduct: 1 });
    await productCreated(w.intake, DOMAIN, payload({ media: [] }), new Date(w.clock.ms));
    await expect(runNewProduct(w.deps, { shopId: shop.id, productGid: GID })).rejects.toBeInstanceOf(RetryLaterError);
    expect(named(w.jobs, "generate-item")).toHaveLength(0);
    w.clock.ms += 1000;
    await productUpdated(w.intake, DOMAIN, payload(), new Date(w.clock.ms));
    await runNewProduct(w.deps, { shopId: shop.id, productGid: GID });
    expect(named(w.jobs, "generate-item")).toHaveLength(1);
    expect((await t.db.scheduleRun.findFirstOrThrow()).outcome).toBe("launched");
  });

  it("fails the waiting items with a reason after a bounded number of checks", async () => {
    const w = world();
    const shop = await shopWith({ enabled: true, candidatesPerProduct: 1 });
    await productCreated(w.intake, DOMAIN, payload({ media: [] }), new Date());
    let retries = 0;
    for (let i = 0; i < 10; i++) {
      try {
        await runNewProduct(w.deps, { shopId: shop.id, productGid: GID });
        break;
      } catch (error) {
        expect(error).toBeInstanceOf(RetryLaterError);
        retries += 1;
      }
    }
    // Three checks in all: the one at launch and two re-checks, then the items fail.
    expect(retries).toBe(2);
    const items = await t.db.batchItem.findMany({ where: { shopId: shop.id } });
    expect(items.map((i) => i.status)).toEqual(["failed"]);
    expect(items[0]?.errorMessage).toMatch(/no photo after 3 checks/);
    expect((await t.db.batch.findFirstOrThrow()).status).toBe("completed");
    expect(named(w.jobs, "generate-item")).toHaveLength(0);
  });

  it("auto-publishes the best candidate once the batch is done, only while the product has no image, and once", async () => {
    const w = world();
    const shop = await shopWith({ enabled: true, candidatesPerProduct: 3, resultMode: "auto-publish-if-no-image" });
    await productCreated(w.intake, DOMAIN, payload(), new Date());
    await expect(runNewProduct(w.deps, { shopId: shop.id, productGid: GID })).rejects.toBeInstanceOf(RetryLaterError);
    const batch = await t.db.batch.findFirstOrThrow({ where: { shopId: shop.id } });
    const items = await t.db.batchItem.findMany({ where: { batchId: batch.id }, orderBy: { candidateIndex: "asc" } });
    const scores = [0.7, 0.95, 0.99];
    const flagged = [false, false, true];
    for (const [i, item] of items.entries()) {
      await t.db.candidate.create({
        data: {
          shopId: shop.id, itemId: item.id, productGid: GID, presetId: item.presetId, providerId: "studio", model: "studio-1", seed: item.seed,
          storageKey: `shops/${shop.id}/c${i}.webp`, thumbSmallKey: "s", thumbLargeKey: "l", format: "webp", width: 1024, height: 1024, bytes: 1,
          perceptualHash: "0", promptHash: "p", fidelityScore: scores[i]!, fidelityFlagged: flagged[i]!,
        },
      });
    }
    await t.db.batch.update({ where: { id: batch.id }, data: { status: "completed" } });
    // The merchant's own photo was removed meanwhile: the product has no image of its own.
    await productUpdated(w.intake, DOMAIN, payload({ media: [] }), new Date(Date.now() + 1000));
    await runNewProduct(w.deps, { shopId: shop.id, productGid: GID });
    await runNewProduct(w.deps, { shopId: shop.id, productGid: GID });
    expect(w.published).toHaveLength(1);
    const best = await t.db.candidate.findFirstOrThrow({ where: { shopId: shop.id, fidelityScore: 0.95 } });
    expect(w.published[0]).toMatchObject({ shopId: shop.id, shopDomain: DOMAIN, productGid: GID, candidateId: best.id });
  });

  it("leaves candidates for review when the product has an image of its own", async () => {
    const w = world();
    const shop = await shopWith({ enabled: true, candidatesPerProduct: 1, resultMode: "auto-publish-if-no-image" });
    await productCreated(w.intake, DOMAIN, payload(), new Date());
    await expect(runNewProduct(w.deps, { shopId: shop.id, productGid: GID })).rejects.toBeInstanceOf(RetryLaterError);
    await t.db.batch.updateMany({ where: { shopId: shop.id }, data: { status: "completed" } });
    await runNewProduct(w.deps, { shopId: shop.id, productGid: GID });
    expect(w.published).toHaveLength(0);
    expect((await t.db.scheduleRun.findFirstOrThrow()).reason).toMatch(/own image/);
  });
});

describe("products/update", () => {
  async function baseline(w: ReturnType<typeof world>, automation: Partial<ShopSettings["automation"]> = {}) {
    const shop = await shopWith({ enabled: true, refreshOnEdit: true, refreshDebounceSeconds: 60, ...automation });
    await productCreated(w.intake, DOMAIN, payload(), new Date(w.clock.ms));
    w.jobs.length = 0;
    return shop;
  }

  it("does not refresh for the app's own writes (new media, alt text): no loop", async () => {
    const w = world();
    await baseline(w);
    w.clock.ms += 1000;
    const withOurImage = [PHOTO, { ...PHOTO, admin_graphql_api_id: "gid://shopify/MediaImage/10", alt: "Generated" }];
    expect(await productUpdated(w.intake, DOMAIN, payload({ media: withOurImage }), new Date(w.clock.ms))).toBe("recorded");
    expect(await productUpdated(w.intake, DOMAIN, payload({ body_html: "<div>Soft   LINEN</div>" }), new Date(w.clock.ms + 1))).toBe("recorded");
    expect(w.jobs).toHaveLength(0);
  });

  it("refreshes once, debounced, after a meaningful text edit", async () => {
    const w = world();
    const shop = await baseline(w);
    w.clock.ms += 1000;
    expect(await productUpdated(w.intake, DOMAIN, payload({ title: "Hemp Shirt" }), new Date(w.clock.ms))).toBe("enqueued");
    w.clock.ms += 30_000;
    expect(await productUpdated(w.intake, DOMAIN, payload({ title: "Hemp Overshirt" }), new Date(w.clock.ms))).toBe("enqueued");
    const refreshJobs = named(w.jobs, "automation-refresh");
    expect(new Set(refreshJobs.map((j) => j.options.jobId)).size).toBe(1);
    const watchId = (refreshJobs[0]!.job.payload as { watchId: string }).watchId;
    // The first job comes due 60 s after the first edit: the second edit pushed the refresh back.
    w.clock.ms += 30_000;
    await expect(runRefresh(w.deps, { watchId })).rejects.toBeInstanceOf(RetryLaterError);
    w.clock.ms += 30_000;
    await runRefresh(w.deps, { watchId });
    await runRefresh(w.deps, { watchId });
    const batches = await t.db.batch.findMany({ where: { shopId: shop.id } });
    expect(batches.map((b) => b.source)).toEqual(["automation-refresh"]);
  });

  it("does not lose an edit that arrives while its refresh is launching", async () => {
    const w = world();
    const shop = await baseline(w);
    w.clock.ms += 1000;
    await productUpdated(w.intake, DOMAIN, payload({ title: "Hemp Shirt" }), new Date(w.clock.ms));
    const watchId = (named(w.jobs, "automation-refresh")[0]!.job.payload as { watchId: string }).watchId;
    w.clock.ms += 61_000;
    // The edit lands mid-launch (its enqueue would find this job active and do nothing).
    const deps = {
      ...w.deps,
      brandKitEnabled: async () => {
        await productUpdated(w.intake, DOMAIN, payload({ title: "Wool Shirt" }), new Date(w.clock.ms));
        return false;
      },
    };
    await expect(runRefresh(deps, { watchId })).rejects.toBeInstanceOf(RetryLaterError);
    w.clock.ms += 61_000;
    await runRefresh(w.deps, { watchId });
    expect(await t.db.batch.count({ where: { shopId: shop.id, source: "automation-refresh" } })).toBe(2);
  });

  it("still starts a new product's automation when its products/update overtook the products/create", async () => {
    const w = world();
    const shop = await shopWith({ enabled: true });
    const created = new Date(w.clock.ms);
    await productUpdated(w.intake, DOMAIN, payload({ title: "Edited right away" }), new Date(w.clock.ms + 2000));
    expect(await productCreated(w.intake, DOMAIN, payload(), created)).toBe("enqueued");
    expect(named(w.jobs, "automation-new-product")).toHaveLength(1);
    expect((await t.db.productCache.findFirstOrThrow({ where: { shopId: shop.id } })).title).toBe("Edited right away");
  });

  it("ignores a delivery triggered before one already applied (out of order)", async () => {
    const w = world();
    const shop = await baseline(w);
    const late = new Date(w.clock.ms + 5000);
    const early = new Date(w.clock.ms + 1000);
    await productUpdated(w.intake, DOMAIN, payload({ title: "Newest title" }), late);
    expect(await productUpdated(w.intake, DOMAIN, payload({ title: "Older title" }), early)).toBe("stale");
    const cached = await t.db.productCache.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(cached.title).toBe("Newest title");
  });
});

describe("scheduled refresh", () => {
  it("runs each schedule slot once, however many ticks (instances) reach it", async () => {
    const w = world();
    const shop = await shopWith(
      { enabled: false },
      { schedules: [{ id: "holiday", name: "Holiday", enabled: true, presetIds: ["packshot-white"], productGids: [GID], candidatesPerProduct: 1, startsAt: "2026-11-01T09:00:00Z", everyHours: 24 }] },
    );
    await productCreated(w.intake, DOMAIN, payload(), new Date(w.clock.ms));
    const slot = new Date(w.clock.ms).toISOString();
    await Promise.all([runSchedulerTick(w.deps, { slot }), runSchedulerTick(w.deps, { slot }), runSchedulerTick(w.deps, { slot })]);
    const batches = await t.db.batch.findMany({ where: { shopId: shop.id } });
    expect(batches.map((b) => b.source)).toEqual(["schedule"]);
    const runs = await t.db.scheduleRun.findMany({ where: { shopId: shop.id } });
    expect(runs.map((r) => [r.scheduleId, r.slotStart.toISOString(), r.outcome])).toEqual([["schedule:holiday", "2026-11-02T09:00:00.000Z", "launched"]]);
    // The next day's slot runs again.
    w.clock.ms += 24 * 3600_000;
    await runSchedulerTick(w.deps, { slot });
    expect(await t.db.batch.count({ where: { shopId: shop.id } })).toBe(2);
    expect(named(w.jobs, "scheduler-tick").length).toBeGreaterThan(0);
  });

  it("enqueues the stop of an A/B test past the shop's longest duration", async () => {
    const w = world();
    const shop = await shopWith({ enabled: false });
    const startedAt = new Date(w.clock.ms - (DEFAULT_SHOP_SETTINGS.ab.maxDays + 1) * 24 * 3600_000);
    const experiment = await t.db.experiment.create({ data: { shopId: shop.id, productGid: GID, status: "running", controlImageUrl: "x", controlFileName: "x", startedAt } });
    await runSchedulerTick(w.deps, { slot: new Date(w.clock.ms).toISOString() });
    expect(named(w.jobs, "experiment-max-days").map((j) => [j.job.payload, j.options.jobId])).toEqual([[{ shopId: shop.id, experimentId: experiment.id }, `experiment-max-days:${experiment.id}`]]);
  });
});
