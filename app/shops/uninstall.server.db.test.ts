import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createBatch } from "~/batches/create-batch.server";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { createProviderRegistry } from "~/providers/registry.server";
import { createLocalStorage } from "~/storage/local-storage.server";
import { shopKey } from "~/storage/types";
import { batchRequest, seedProducts, seedShop } from "../../test/batches/fixtures";
import { useTestDatabase } from "../../test/support/use-test-database";
import { redactShop, uninstallShop } from "./uninstall.server";

const t = useTestDatabase();
const dir = mkdtempSync(path.join(tmpdir(), "pis-redact-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noQueue = { enqueue: async () => {} };
const now = () => new Date();

async function shopWithBatch(domain: string) {
  const shop = await seedShop(t.db, domain);
  const gids = await seedProducts(t.db, shop.id, 1, "http://127.0.0.1:9/p.jpg");
  const created = await createBatch(
    { db: t.db, registry: createProviderRegistry({}), presets: PRESET_LIBRARY, now, concurrency: 1, queue: noQueue },
    shop.id,
    batchRequest(gids, { candidatesPerProduct: 2 }),
  );
  if (!created.ok) throw new Error(created.reasons.join(" "));
  await t.db.session.create({ data: { id: `offline_${domain}`, shop: domain, state: "", accessToken: "t" } });
  return { shop, batchId: created.batchId };
}

describe("app/uninstalled", () => {
  it("deletes the sessions, cancels open batches and stops live experiments, for that shop only", async () => {
    const a = await shopWithBatch("a.myshopify.com");
    const b = await shopWithBatch("b.myshopify.com");
    const experiment = (shopId: string, status: string) =>
      t.db.experiment.create({
        data: { shopId, productGid: "gid://shopify/Product/1", status, liveProductKey: status === "running" ? `${shopId}|p` : null, controlImageUrl: "https://cdn.example/a.png", controlFileName: "a.png" },
      });
    const live = await experiment(a.shop.id, "running");
    const draft = await experiment(a.shop.id, "draft");
    const others = await experiment(b.shop.id, "running");
    const result = await uninstallShop({ db: t.db, queue: noQueue, now }, "a.myshopify.com");
    expect(result).toEqual({ canceledBatches: 1, stoppedExperiments: 1 });
    expect(await t.db.experiment.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({ status: "stopped", liveProductKey: null });
    expect((await t.db.experiment.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("draft");
    expect((await t.db.experiment.findUniqueOrThrow({ where: { id: others.id } })).status).toBe("running");
    expect(await t.db.session.count({ where: { shop: "a.myshopify.com" } })).toBe(0);
    expect((await t.db.batch.findUniqueOrThrow({ where: { id: a.batchId } })).status).toBe("canceled");
    expect(await t.db.batchItem.count({ where: { batchId: a.batchId, status: { not: "canceled" } } })).toBe(0);
    expect((await t.db.batch.findUniqueOrThrow({ where: { id: b.batchId } })).status).toBe("queued");
    expect(await t.db.session.count({ where: { shop: "b.myshopify.com" } })).toBe(1);
  });
});

describe("shop/redact", () => {
  it("erases every row and stored file of the shop, and nothing of another", async () => {
    const storage = createLocalStorage(dir);
    const a = await shopWithBatch("a.myshopify.com");
    const b = await shopWithBatch("b.myshopify.com");
    await storage.put(shopKey(a.shop.id, "c", "one.png"), Buffer.from("a"), "image/png");
    await storage.put(shopKey(b.shop.id, "c", "one.png"), Buffer.from("b"), "image/png");
    await t.db.webhookDelivery.create({ data: { shopDomain: "a.myshopify.com", topic: "X", webhookId: "w" } });
    const result = await redactShop({ db: t.db, storage }, "a.myshopify.com");
    expect(result.files).toBe(1);
    expect(existsSync(path.join(dir, "shops", a.shop.id))).toBe(false);
    expect(await storage.get(shopKey(b.shop.id, "c", "one.png"))).not.toBeNull();
    expect(await t.db.shop.count({ where: { id: a.shop.id } })).toBe(0);
    expect(await t.db.batchItem.count({ where: { shopId: a.shop.id } })).toBe(0);
    expect(await t.db.productCache.count({ where: { shopId: a.shop.id } })).toBe(0);
    expect(await t.db.webhookDelivery.count({ where: { shopDomain: "a.myshopify.com" } })).toBe(0);
    expect(await t.db.batchItem.count({ where: { shopId: b.shop.id } })).toBe(2);
    // A repeated redaction finds nothing left and does not fail.
    expect(await redactShop({ db: t.db, storage }, "a.myshopify.com")).toEqual({ files: 0 });
  });
});
