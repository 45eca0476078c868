/**
 * End to end against the built app, its worker and the local store: a test is
 * created from an A/B candidate and started from its page, which answers at
 * once and shows "starting" until the worker's job has the variant File, the
 * storefront metafield and the web pixel in place; simulated visitors with a
 * known true lift post to the pixel endpoint, the page reaches the right
 * decision, and applying the winner (a job too) makes the variant the
 * product's featured image. Another shop's experiment answers 404.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDb, type Db } from "~/db/client.server";
import type { Analysis } from "~/experiments/analysis";
import { seededRandom } from "~/experiments/stats-distributions";
import { experimentStoreState } from "../shopify-store/resolvers/experiments";
import { SHOP_A, SHOP_B, startStack, type Stack } from "../support/stack";

type PageExperiment = { status: string; pendingAction: string | null; lastError: string | null };

describe("image A/B test, merchant to storefront to winner", () => {
  let stack: Stack;
  let db: Db;
  beforeAll(async () => {
    stack = await startStack({ worker: true, mediaTimings: { uploadedMs: 5, processingMs: 5 } });
    db = await connectDb(stack.database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await stack?.close();
  });

  /** Reads the page as the merchant's browser does while it polls, until the job has ended. */
  async function settled(id: string): Promise<{ seen: PageExperiment[]; last: PageExperiment }> {
    const seen: PageExperiment[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      const page = await stack.loadData<{ experiment: PageExperiment }>(SHOP_A, `/app/experiments/${id}`, "routes/app.experiments.$id");
      expect(page.status).toBe(200);
      const { status, pendingAction, lastError } = page.body.experiment;
      seen.push({ status, pendingAction, lastError });
      if (pendingAction === null) return { seen, last: seen[seen.length - 1]! };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the job never ended; ${JSON.stringify(seen.slice(-1))}\n${stack.app.logs().slice(-3000)}`);
  }

  it("reaches the right decision and applies the winner", async () => {
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
    expect((await stack.openEmbedded(SHOP_B)).status).toBe(200);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP_A } });
    const storeShop = stack.store.data.shops.get(SHOP_A)!;
    const product = [...storeShop.products.values()].find((p) => p.media.length > 1)!;
    const productGid = `gid://shopify/Product/${product.id}`;
    const controlMediaId = `gid://shopify/MediaImage/${product.media[0]!.id}`;

    const storageKey = `shops/${shop.id}/candidates/ab-variant.png`;
    mkdirSync(path.dirname(path.join(stack.storageDir, storageKey)), { recursive: true });
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 0, g: 180, b: 0 } } }).png().toBuffer();
    writeFileSync(path.join(stack.storageDir, storageKey), png);
    const candidate = await db.candidate.create({
      data: { shopId: shop.id, productGid, presetId: "packshot-white", providerId: "studio", model: "studio-1", seed: 1, status: "approved", abCandidate: true, storageKey, thumbSmallKey: storageKey, thumbLargeKey: storageKey, format: "png", width: 64, height: 64, bytes: png.length, perceptualHash: "0", promptHash: "0" },
    });

    const created = await stack.postData(SHOP_A, "/app/experiments/new", "routes/app.experiments.new", { productGid, candidateId: candidate.id, controlPercent: "50", mdePercent: "20" });
    expect(created.status, await created.clone().text()).toBeLessThan(400);
    const experiment = await db.experiment.findFirstOrThrow({ where: { shopId: shop.id, productGid }, include: { arms: { orderBy: { key: "asc" } } } });
    expect(experiment.arms.map((arm) => arm.weight)).toEqual([50, 50]);
    expect(experiment.relativeMde).toBeCloseTo(0.2, 12);

    const started = await stack.postData(SHOP_A, `/app/experiments/${experiment.id}`, "routes/app.experiments.$id", { intent: "start" });
    expect(await started.json(), stack.app.logs().slice(-3000)).toEqual({ error: null });
    // The answer came before the work: the first read finds the start recorded, not yet done.
    const start = await settled(experiment.id);
    expect(start.seen[0]).toEqual({ status: "draft", pendingAction: "start", lastError: null });
    expect(start.last).toEqual({ status: "running", pendingAction: null, lastError: null });
    const state = experimentStoreState(storeShop);
    expect([...state.metafields.values()].some((m) => m.ownerId === productGid)).toBe(true);
    const pixel = JSON.parse(state.webPixel!.settings) as { shopKey: string; endpoint: string };
    expect(pixel.endpoint).toBe(`${stack.app.url}/api/pixel/events`);

    // Shoppers: 10% add to cart on the control, 15% on the variant, over 5 days.
    const random = seededRandom(99);
    const productId = String(product.id);
    let visitor = 0;
    let sent = 0;
    for (let day = 0; day < 5; day++) {
      const posts = [];
      for (let v = 0; v < 800; v++) {
        const arm = random() < 0.5 ? "a" : "b";
        const events: object[] = [{ id: `v${visitor}`, type: "view", experimentId: experiment.id, arm, productId: Number(productId) }];
        if (random() < (arm === "a" ? 0.1 : 0.15)) events.push({ id: `c${visitor}`, type: "add_to_cart", experimentId: experiment.id, arm, productId: `gid://shopify/Product/${productId}` });
        posts.push(JSON.stringify({ key: pixel.shopKey, clientId: `shopper-${visitor++}`, events }));
      }
      for (let i = 0; i < posts.length; i += 50) {
        const statuses = await Promise.all(posts.slice(i, i + 50).map((body) => fetch(pixel.endpoint, { method: "POST", body }).then((r) => r.status)));
        expect(statuses.every((s) => s === 204)).toBe(true);
      }
      // Acknowledged means journaled; the day is relabelled only once the loader has put all of it in the database.
      sent += posts.reduce((n, body) => n + (JSON.parse(body) as { events: unknown[] }).events.length, 0);
      for (let waited = 0; (await db.experimentEvent.count({ where: { experimentId: experiment.id } })) < sent; waited += 50) {
        if (waited > 20_000) throw new Error(`only some of ${sent} acknowledged events reached the database`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Each simulated day is its own look for the sequential test.
      await db.experimentDailyAggregate.updateMany({ where: { experimentId: experiment.id, day: new Date().toISOString().slice(0, 10) }, data: { day: `2026-01-0${day + 1}` } });
    }

    const page = await stack.loadData<{ analysis: Analysis }>(SHOP_A, `/app/experiments/${experiment.id}`, "routes/app.experiments.$id");
    expect(page.status).toBe(200);
    expect(page.body.analysis.decision).toMatchObject({ kind: "variant_better", armKey: "b", message: "Variant B is better with 95% confidence." });
    expect(page.body.analysis.arms.reduce((s, a) => s + a.visitors, 0)).toBe(4000);

    // Another shop cannot see it.
    expect((await stack.loadData(SHOP_B, `/app/experiments/${experiment.id}`, "routes/app.experiments.$id")).status).toBe(404);

    const applied = await stack.postData(SHOP_A, `/app/experiments/${experiment.id}`, "routes/app.experiments.$id", { intent: "apply", arm: "b" });
    expect(await applied.json()).toEqual({ error: null });
    expect((await settled(experiment.id)).last, stack.app.logs().slice(-3000)).toEqual({ status: "winner_applied", pendingAction: null, lastError: null });
    const arm = await db.experimentArm.findFirstOrThrow({ where: { experimentId: experiment.id, key: "b" } });
    expect(`gid://shopify/MediaImage/${product.media[0]!.id}`).toBe(arm.shopifyFileId);
    expect(product.media.map((m) => `gid://shopify/MediaImage/${m.id}`)).toContain(controlMediaId);
    expect([...state.metafields.values()].some((m) => m.ownerId === productGid)).toBe(false);
    const list = await stack.loadData<{ experiments: Array<{ id: string; status: string }> }>(SHOP_A, "/app/experiments", "routes/app.experiments._index");
    expect(list.body.experiments).toEqual([expect.objectContaining({ id: experiment.id, status: "winner_applied" })]);
  }, 180_000);
});
