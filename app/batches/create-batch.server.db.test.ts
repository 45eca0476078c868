import { describe, expect, it } from "vitest";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { createProviderRegistry } from "~/providers/registry.server";
import { EmbeddedJobQueue } from "~/queue/embedded.server";
import { batchRequest, seedProducts, seedShop } from "../../test/batches/fixtures";
import { useTestDatabase } from "../../test/support/use-test-database";
import { createBatch, planBatch, type CreateDeps } from "./create-batch.server";

const t = useTestDatabase({ emptyBeforeEach: false });
const NOW = new Date("2026-11-20T12:00:00Z");
const paidRegistry = createProviderRegistry({ OPENAI_API_KEY: "sk-never-sent", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }, () => NOW);

function deps(): CreateDeps {
  return {
    db: t.db,
    registry: paidRegistry,
    presets: PRESET_LIBRARY,
    now: () => NOW,
    concurrency: 4,
    queue: new EmbeddedJobQueue(t.db, { queue: "create-batch-test", dialect: t.kind }),
  };
}

describe("createBatch", () => {
  it("expands products × presets × candidates into items with derived keys and seeds, and enqueues one job each", async () => {
    const shop = await seedShop(t.db, "expand.myshopify.com");
    const gids = await seedProducts(t.db, shop.id, 3, "http://127.0.0.1:9/bottle.jpg");
    const result = await createBatch(deps(), shop.id, batchRequest(gids, { presetIds: ["packshot-white", "lifestyle-kitchen"], candidatesPerProduct: 2 }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.items).toBe(12);

    const items = await t.db.batchItem.findMany({ where: { batchId: result.batchId } });
    expect(items).toHaveLength(12);
    expect(new Set(items.map((i) => i.idempotencyKey)).size).toBe(12);
    expect(new Set(items.map((i) => `${i.productGid}|${i.presetId}|${i.candidateIndex}`)).size).toBe(12);
    expect(items.every((i) => i.status === "queued" && i.idempotencyKey.startsWith(`${result.batchId}:`))).toBe(true);
    expect(new Set(items.map((i) => i.seed)).size).toBeGreaterThan(10);

    const jobs = await t.db.job.findMany({ where: { queue: "create-batch-test", id: { in: items.map((i) => `generate-item:${i.id}`) } } });
    expect(jobs.map((j) => j.id).sort()).toEqual(items.map((i) => `generate-item:${i.id}`).sort());
    expect(jobs.every((j) => JSON.parse(j.payloadJson).itemId && j.status === "waiting")).toBe(true);
  });

  it("refuses options the provider cannot do, with a reason for each", async () => {
    const shop = await seedShop(t.db, "refuse.myshopify.com");
    const gids = await seedProducts(t.db, shop.id, 1, null);
    const result = await planBatch(
      deps(),
      shop.id,
      batchRequest(gids, {
        presetIds: ["packshot-white", "no-such-preset"],
        options: { size: "999x999", quality: "low", format: "jpeg", background: "transparent", useReference: false, brandKit: false },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reasons.join("\n")).toMatch(/"no-such-preset" does not exist/);
    expect(result.reasons.join("\n")).toMatch(/cannot make 999x999 images/);
    expect(result.reasons.join("\n")).toMatch(/JPEG has no transparency/);
    expect(result.reasons.join("\n")).toMatch(/needs your product photo/);

    const onModel = PRESET_LIBRARY.find((p) => p.requires.includes("onModel"));
    expect(onModel).toBeDefined();
    const refused = await planBatch(deps(), shop.id, batchRequest(gids, { presetIds: [onModel!.id] }));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reasons[0]).toMatch(/show products on people/);

    const unknown = await planBatch(deps(), shop.id, batchRequest(gids, { providerId: "gemini", model: "gemini-2.5-flash-image" }));
    expect(unknown).toEqual({ ok: false, reasons: [expect.stringMatching(/not set up/)] });
  });

  it("refuses a batch over the month's remaining budget or its own cap, saying what remains, and writes nothing", async () => {
    const shop = await seedShop(t.db, "budget.myshopify.com", 2_000_000);
    const gids = await seedProducts(t.db, shop.id, 10, "http://127.0.0.1:9/bottle.jpg");
    // Spent earlier this month, plus an entry from last month that must not count.
    await t.db.costLedgerEntry.createMany({
      data: [
        { shopId: shop.id, itemId: "earlier-item", providerId: "openai", model: "gpt-image-2", amountMicros: 1_500_000n, createdAt: new Date("2026-11-02T00:00:00Z") },
        { shopId: shop.id, itemId: "last-month", providerId: "openai", model: "gpt-image-2", amountMicros: 9_000_000n, createdAt: new Date("2026-10-30T00:00:00Z") },
      ],
    });
    const request = batchRequest(gids, { providerId: "openai", model: "gpt-image-2", candidatesPerProduct: 4, options: { ...batchRequest([]).options, quality: "high" } });
    const result = await createBatch(deps(), shop.id, request);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.plan?.budget).toEqual({ monthlyBudgetMicros: 2_000_000, spentThisMonthMicros: 1_500_000, remainingMicros: 500_000 });
    expect(result.plan!.costMicros).toBeGreaterThan(500_000);
    expect(result.reasons[0]).toMatch(/only \$0\.50 of this month's \$2\.00 budget remains/);
    expect(await t.db.batch.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await t.db.batchItem.count({ where: { shopId: shop.id } })).toBe(0);

    const capped = await planBatch(deps(), shop.id, { ...request, productGids: gids.slice(0, 1), candidatesPerProduct: 1, budgetCapMicros: 1 });
    expect(capped.ok).toBe(false);
    if (!capped.ok) expect(capped.reasons.join()).toMatch(/more than its cap of \$0\.000001/);
  });

  it("prices a paid batch as one call per item, and a studio batch at zero", async () => {
    const shop = await seedShop(t.db, "price.myshopify.com");
    const gids = await seedProducts(t.db, shop.id, 2, "http://127.0.0.1:9/bottle.jpg");
    const paid = await planBatch(deps(), shop.id, batchRequest(gids, { providerId: "openai", model: "gpt-image-2", candidatesPerProduct: 3 }));
    expect(paid.ok).toBe(true);
    if (!paid.ok) return;
    const provider = paidRegistry.create("openai", "gpt-image-2");
    const oneCall = provider.estimateCostMicros({ n: 1, size: "1024x1024", quality: "low", prompt: "", references: [{ data: Buffer.alloc(0), mimeType: "image/png", filename: "r.png" }] });
    expect(paid.plan.perItemMicros).toBe(oneCall);
    expect(paid.plan.costMicros).toBe(oneCall * 6);
    expect(paid.plan.durationSeconds).toBeGreaterThan(0);

    const free = await planBatch(deps(), shop.id, batchRequest(gids));
    expect(free.ok && free.plan.costMicros).toBe(0);
  });
});
