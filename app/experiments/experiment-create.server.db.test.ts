/**
 * A test created with the merchant's own split and smallest lift, on SQLite
 * and PostgreSQL against the local Shopify store: the arms keep the chosen
 * weights and the experiment the chosen lift; the create form's defaults carry
 * the shop's variant share and the add-to-cart rate of its earlier tests'
 * control arms (none below 100 visitors, none from another shop).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import { getShopSettings, saveShopSettings } from "~/settings/settings.server";
import type { LocalStore } from "../../test/shopify-store/server";
import { SHOP, startTestStore, storeAdmin } from "../../test/shopify-store/test-harness";
import { useTestDatabase } from "../../test/support/use-test-database";
import { createExperiment, ExperimentError, newExperimentDefaults, requireExperiment } from "./experiments.server";
import { parseNewExperimentForm } from "./new-experiment-form.server";

const t = useTestDatabase();
let store: LocalStore;
let admin: AdminGraphql;

beforeAll(async () => {
  store = await startTestStore();
  admin = await storeAdmin(store);
});
afterAll(async () => {
  await store?.close();
});

function productWithPhoto(): string {
  for (const product of store.data.shops.get(SHOP)!.products.values()) if (product.media.length) return `gid://shopify/Product/${product.id}`;
  throw new Error("no product with a photo");
}

async function seedCandidates(shopId: string, productGid: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const row = await t.db.candidate.create({
      data: { shopId, productGid, presetId: "packshot-white", providerId: "studio", model: "studio-1", seed: i, status: "approved", abCandidate: true, storageKey: `k${i}`, thumbSmallKey: "k", thumbLargeKey: "k", format: "png", width: 64, height: 64, bytes: 1, perceptualHash: "0", promptHash: "0" },
    });
    ids.push(row.id);
  }
  return ids;
}

function formData(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(key, v);
  return data;
}

describe("creating a test with the merchant's split and lift", () => {
  it("keeps the control's share, the variants' even split of the rest, and the smallest lift", async () => {
    const shop = await t.db.shop.create({ data: { domain: SHOP } });
    const productGid = productWithPhoto();
    const candidateIds = await seedCandidates(shop.id, productGid, 3);
    const parsed = parseNewExperimentForm(formData({ productGid, candidateId: candidateIds, controlPercent: "70", mdePercent: "5" }));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed));

    const draft = await createExperiment({ db: t.db, admin }, { shopId: shop.id, ...parsed.input });
    const stored = await requireExperiment(t.db, shop.id, draft.id);
    expect(stored.arms.map((a) => [a.key, a.isControl, a.weight])).toEqual([["a", true, 70], ["b", false, 10], ["c", false, 10], ["d", false, 10]]);
    expect(stored.relativeMde).toBeCloseTo(0.05, 12);
    expect(stored.alpha).toBeCloseTo(0.05, 12);
  });

  it("refuses a lift of 0 or above 100%, and a split that does not add up, creating nothing", async () => {
    const shop = await t.db.shop.create({ data: { domain: SHOP } });
    const productGid = productWithPhoto();
    const candidateIds = await seedCandidates(shop.id, productGid, 2);
    for (const relativeMde of [0, -0.1, 1.5, Number.NaN]) {
      await expect(createExperiment({ db: t.db, admin }, { shopId: shop.id, productGid, candidateIds, relativeMde })).rejects.toMatchObject({ status: 400 });
    }
    await expect(createExperiment({ db: t.db, admin }, { shopId: shop.id, productGid, candidateIds, weights: [50, 50] })).rejects.toBeInstanceOf(ExperimentError);
    await expect(createExperiment({ db: t.db, admin }, { shopId: shop.id, productGid, candidateIds, weights: [98, 2, 0] })).rejects.toBeInstanceOf(ExperimentError);
    expect(await t.db.experiment.count({ where: { shopId: shop.id } })).toBe(0);
  });
});

describe("the create form's defaults", () => {
  async function controlDay(shopId: string, experimentId: string, armKey: string, day: string, visitors: number, addToCartVisitors: number) {
    await t.db.experimentDailyAggregate.create({ data: { shopId, experimentId, armKey, day, visitors, addToCartVisitors } });
  }

  it("carry the shop's variant share and its earlier tests' control add-to-cart rate, once 100 control visitors were seen", async () => {
    const shop = await t.db.shop.create({ data: { domain: SHOP } });
    const other = await t.db.shop.create({ data: { domain: "other-store.myshopify.com" } });
    const current = await getShopSettings(t.db, shop.id);
    await saveShopSettings(t.db, shop.id, { ...current, ab: { ...current.ab, trafficPercent: 30 } });
    expect(await newExperimentDefaults(t.db, shop.id)).toEqual({ trafficPercent: 30, relativeMde: 0.1, alpha: 0.05, baseline: null });

    const experiment = (id: string) => t.db.experiment.create({ data: { shopId: id, productGid: "gid://shopify/Product/1", controlImageUrl: "https://cdn.example/x.jpg", controlFileName: "x" } });
    const mine = await experiment(shop.id);
    const theirs = await experiment(other.id);
    await controlDay(shop.id, mine.id, "a", "2026-11-01", 60, 2);
    await controlDay(shop.id, mine.id, "b", "2026-11-01", 500, 400);
    await controlDay(other.id, theirs.id, "a", "2026-11-01", 10_000, 9_000);
    expect((await newExperimentDefaults(t.db, shop.id)).baseline).toBeNull();

    await controlDay(shop.id, mine.id, "a", "2026-11-02", 40, 3);
    expect((await newExperimentDefaults(t.db, shop.id)).baseline).toEqual({ rate: 0.05, visitors: 100 });
  });
});
