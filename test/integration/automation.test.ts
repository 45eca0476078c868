import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDb, type Db } from "~/db/client.server";
import { databaseKind } from "~/db/database-url";
import { DEFAULT_SHOP_SETTINGS } from "~/settings/shop-settings";
import { plainPackshots } from "../fixtures/images/make-fixtures";
import { startOpenAiServer, type FakeOpenAiServer } from "../openai-server/server";
import { productWebhookPayload } from "../shopify-store/product-events";
import { SHOP_A, SHOP_B, startStack, type Stack } from "../support/stack";

/**
 * Automation against the local store, which fires real HMAC-signed
 * products/create and products/update webhooks whenever a product changes —
 * the merchant's edits and the app's own Admin API writes alike — with the
 * built app and a separate worker process.
 */
describe("automatic imagery and the webhooks behind it", () => {
  let stack: Stack;
  let openai: FakeOpenAiServer;
  let db: Db;
  let photo: Buffer;

  // Generous: the suite shares two cores with whatever else runs.
  const waitFor = async <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000, explain?: () => Promise<unknown>): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await explain?.())}\n${stack.app.logs().slice(-4000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const shopId = async (domain: string) => (await db.shop.findUniqueOrThrow({ where: { domain } })).id;
  const gid = (id: number) => `gid://shopify/Product/${id}`;
  const batchesOf = async (domain: string, productId: number) =>
    db.batch.findMany({ where: { shopId: await shopId(domain), productGidsJson: JSON.stringify([gid(productId)]) }, orderBy: { createdAt: "asc" } });

  async function saveAutomation(shop: string, automation: Partial<typeof DEFAULT_SHOP_SETTINGS.automation>) {
    const value = { ...DEFAULT_SHOP_SETTINGS.automation, ...automation };
    const response = await stack.postData(shop, "/app/settings", "routes/app.settings", { intent: "automation", value: JSON.stringify(value) });
    expect(response.status, await response.clone().text()).toBe(200);
  }

  beforeAll(async () => {
    openai = await startOpenAiServer();
    stack = await startStack({
      worker: true,
      appEnv: {
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.baseURL,
        AUTOMATION_PHOTO_RECHECK_MS: "300",
        AUTOMATION_PHOTO_CHECKS: "3",
        SCHEDULER_TICK_MS: "1000",
        SETTINGS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      },
    });
    db = await connectDb(stack.database.url);
    for (const shop of [SHOP_A, SHOP_B]) expect((await stack.openEmbedded(shop)).status).toBe(200);
    const [bottle] = await plainPackshots();
    photo = await sharp(bottle!.photo).png().toBuffer();
  }, 120_000);
  afterAll(async () => {
    await db?.$disconnect();
    await stack?.close();
    await openai?.close();
  });

  it("a new product yields a batch and candidates for review, with the badge in the app", async () => {
    await saveAutomation(SHOP_B, { enabled: true, presetIds: ["packshot-white"], candidatesPerProduct: 1, providerId: "studio", model: "studio-1" });
    const productId = stack.store.createProduct(SHOP_B, { title: "Amber Glass Bottle", descriptionHtml: "<p>A bottle.</p>", photos: [photo] });
    const [batch] = await waitFor("the automatic batch to complete", async () => {
      const batches = await batchesOf(SHOP_B, productId);
      return batches.length > 0 && batches.every((b) => b.status === "completed") && batches;
    });
    expect(batch!.source).toBe("automation-new-product");
    const candidates = await db.candidate.findMany({ where: { shopId: await shopId(SHOP_B), productGid: gid(productId) } });
    const items = await db.batchItem.findMany({ where: { batchId: batch!.id }, select: { status: true, errorMessage: true } });
    expect(candidates.length, JSON.stringify(items)).toBe(1);
    expect(candidates[0]!.status).toBe("new");
    const layout = await stack.loadData<{ newCandidates: number }>(SHOP_B, "/app", "routes/app");
    expect(layout.body.newCandidates).toBeGreaterThanOrEqual(1);
  }, 180_000);

  it("stores a provider key encrypted and never sends it back to the browser", async () => {
    const key = "sk-merchant-own-key-7c1d";
    const saved = await stack.postData(SHOP_B, "/app/settings", "routes/app.settings", { intent: "provider-key", value: JSON.stringify({ provider: "openai", key }) });
    expect(saved.status).toBe(200);
    const row = await db.shopSecret.findFirstOrThrow({ where: { shopId: await shopId(SHOP_B), name: "openai" } });
    expect(row.ciphertext).not.toContain(key);
    expect(row.last4).toBe("7c1d");
    const page = await stack.loadData<{ providerKeys: { provider: string; set: boolean; last4: string | null }[] }>(SHOP_B, "/app/settings", "routes/app.settings");
    expect(JSON.stringify(page.body)).not.toContain(key);
    expect(page.body.providerKeys).toContainEqual({ provider: "openai", set: true, last4: "7c1d" });
    const document = await stack.openEmbedded(SHOP_B, "/app/settings");
    expect(document.status).toBe(200);
    expect(await document.text()).not.toContain(key);
  });

  it("a new product without a photo waits for one a bounded number of times, then fails with a reason", async () => {
    const productId = stack.store.createProduct(SHOP_B, { title: "Photo Pending Mug" });
    const items = await waitFor("the waiting item to fail", async () => {
      const found = await db.batchItem.findMany({ where: { shopId: await shopId(SHOP_B), productGid: gid(productId) } });
      return found.length > 0 && found.every((i) => i.status === "failed") && found;
    });
    expect(items[0]!.errorKind).toBe("photo");
    expect(items[0]!.errorMessage).toMatch(/no photo after 3 checks/);
  }, 180_000);

  it("with auto-publish on and no image, the best candidate becomes the featured image — and that write starts no new batch", async () => {
    const id = await shopId(SHOP_A);
    // A text-to-image preset of the shop's own: the product has no photo to work from.
    await db.shopPreset.create({
      data: {
        shopId: id,
        name: "Text scene",
        definitionJson: JSON.stringify({
          name: "Text scene",
          category: "studio",
          template: "Studio photograph of {product} on {scene}, {angle}, {lighting}.",
          size: "1024x1024",
          quality: "low",
          requires: ["generate"],
          studioScene: { kind: "paper", palette: ["#ffffff"], light: "top", vignette: 0, reflection: 0 },
          scenes: ["a white paper sweep"],
          angles: ["front view"],
          lighting: ["soft daylight"],
        }),
      },
    });
    const preset = await db.shopPreset.findFirstOrThrow({ where: { shopId: id } });
    await saveAutomation(SHOP_A, {
      enabled: true,
      presetIds: [`custom:${preset.id}`],
      candidatesPerProduct: 2,
      providerId: "openai",
      model: "gpt-image-2",
      quality: "low",
      format: "png",
      useReference: false,
      resultMode: "auto-publish-if-no-image",
      refreshOnEdit: true,
      refreshDebounceSeconds: 1,
    });
    const productId = stack.store.createProduct(SHOP_A, { title: "Ceramic Vase", descriptionHtml: "<p>Hand-thrown stoneware.</p>" });
    const product = () => stack.store.data.shop(SHOP_A).products.get(productId)!;
    await waitFor(
      "the featured image to appear",
      async () => product().media.length > 0 && product().media[0]!.status === "READY",
      180_000,
      async () => {
        const batch = (await batchesOf(SHOP_A, productId))[0];
        const items = batch ? await db.batchItem.findMany({ where: { batchId: batch.id }, select: { status: true, errorMessage: true } }) : [];
        const publications = await db.publication.findMany({ where: { shopId: id }, select: { status: true, step: true, errorMessage: true } });
        return { batch: batch?.status, items, publications };
      },
    );
    const publication = await db.publication.findFirstOrThrow({ where: { shopId: id, productGid: gid(productId) } });
    expect(product().media[0]!.image.fileName).toContain(publication.candidateId);

    // Shopify told the app about its own media write, and the app answered it…
    await stack.store.webhooksSettled();
    await waitFor("the products/update for the app's write", async () =>
      stack.store.firedWebhooks.some((w) => w.topic === "products/update" && w.productId === productId && w.result !== "not-subscribed" && w.result.status === 200),
    );
    // …without starting anything: the debounce (1 s) is long past and there is still one batch.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await batchesOf(SHOP_A, productId)).map((b) => b.source)).toEqual(["automation-new-product"]);

    // A merchant's meaningful edit does refresh.
    stack.store.updateProduct(SHOP_A, productId, { title: "Ceramic Vase, Large" });
    await waitFor("the refresh batch", async () => (await batchesOf(SHOP_A, productId)).some((b) => b.source === "automation-refresh"));
  }, 300_000);

  it("a duplicate delivery has one effect, and a forged HMAC is refused", async () => {
    await saveAutomation(SHOP_A, { enabled: true, presetIds: ["packshot-white"], candidatesPerProduct: 1, refreshOnEdit: true, refreshDebounceSeconds: 1 });
    const shop = stack.store.data.shop(SHOP_A);
    const productId = stack.store.createProduct(SHOP_A, { title: "Duplicate Candle", photos: [photo] });
    await stack.store.webhooksSettled();
    const payload = productWebhookPayload(stack.store.origin, shop, { ...shop.products.get(productId)!, title: "Duplicate Candle, Tall" });
    const first = await stack.store.deliverWebhook(SHOP_A, "products/update", payload, { webhookId: "dup-delivery-1" });
    const again = await stack.store.deliverWebhook(SHOP_A, "products/update", payload, { webhookId: "dup-delivery-1" });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await db.webhookDelivery.count({ where: { shopDomain: SHOP_A, webhookId: "dup-delivery-1" } })).toBe(1);
    await waitFor("the refresh batch", async () => (await batchesOf(SHOP_A, productId)).some((b) => b.source === "automation-refresh"));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await batchesOf(SHOP_A, productId)).filter((b) => b.source === "automation-refresh")).toHaveLength(1);

    const forged = await stack.store.deliverWebhook(SHOP_A, "products/create", payload, { webhookId: "forged-1", forgeHmac: true });
    expect(forged.status).toBe(401);
    expect(await db.webhookDelivery.count({ where: { webhookId: "forged-1" } })).toBe(0);
  }, 180_000);

  it("shop/redact leaves no row and no file of that shop", async () => {
    const id = await shopId(SHOP_B);
    expect(existsSync(path.join(stack.storageDir, "shops", id))).toBe(true);
    const result = await stack.store.deliverWebhook(SHOP_B, "shop/redact", { shop_id: 2, shop_domain: SHOP_B });
    expect(result.status).toBe(200);
    await waitFor("the shop to be erased", async () => (await db.shop.count({ where: { domain: SHOP_B } })) === 0);
    expect(existsSync(path.join(stack.storageDir, "shops", id))).toBe(false);

    // Every table, including ones added later: nothing keyed by the shop's id or domain remains.
    const kind = databaseKind(stack.database.url);
    const columns: { table: string; column: string }[] =
      kind === "sqlite"
        ? (
            await Promise.all(
              (await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)).map(async ({ name }) =>
                (await db.$queryRawUnsafe<{ name: string }[]>(`PRAGMA table_info("${name}")`)).map((c) => ({ table: name, column: c.name })),
              ),
            )
          ).flat()
        : (await db.$queryRawUnsafe<{ table_name: string; column_name: string }[]>(
            // Cast: the pg adapter cannot read the catalogs' own "name" type.
            `SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns WHERE table_schema = current_schema()`,
          )).map((c) => ({ table: c.table_name, column: c.column_name }));
    const keyed = columns.filter((c) => ["shopId", "shop", "shopDomain", "domain"].includes(c.column));
    expect(keyed.length).toBeGreaterThan(5);
    for (const { table, column } of keyed) {
      const value = column === "shopId" ? id : SHOP_B;
      const [row] = await db.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" = ${kind === "sqlite" ? "?" : "$1"}`, value);
      expect(Number(row!.n), `${table}.${column}`).toBe(0);
    }
    // The other shop keeps everything.
    expect(await db.candidate.count({ where: { shopId: await shopId(SHOP_A) } })).toBeGreaterThan(0);
  }, 180_000);

  it("an uninstall mid-batch cancels it cleanly", async () => {
    const products = [...stack.store.data.shop(SHOP_A).products.values()].filter((p) => p.media.length > 0).slice(0, 30);
    const request = {
      productGids: products.map((p) => gid(p.id)),
      presetIds: ["packshot-white"],
      candidatesPerProduct: 2,
      providerId: "studio",
      model: "studio-1",
      options: { size: "1024x1024", quality: "medium", format: "webp", background: "opaque", useReference: true, brandKit: false },
    };
    const launched = await stack.postData(SHOP_A, "/app/batches/new", "routes/app.batches.new", { intent: "launch", request: JSON.stringify(request) });
    const batchId = /\/app\/batches\/([^/?]+)/.exec(launched.headers.get("x-remix-redirect") ?? "")?.[1];
    expect(batchId, await launched.text()).toBeTruthy();
    await waitFor("the batch to be under way", async () => (await db.batchItem.count({ where: { batchId: batchId!, status: { in: ["running", "succeeded", "failed"] } } })) > 0);

    const result = await stack.store.deliverWebhook(SHOP_A, "app/uninstalled", { id: 1, domain: SHOP_A });
    expect(result.status).toBe(200);
    expect((await db.batch.findUniqueOrThrow({ where: { id: batchId! } })).status).toBe("canceled");
    expect(await db.session.count({ where: { shop: SHOP_A } })).toBe(0);
    // Items already running finish (they are paid for); nothing else starts, nothing is left hanging.
    await waitFor("running items to settle", async () => (await db.batchItem.count({ where: { batchId: batchId!, status: { in: ["running", "queued"] } } })) === 0, 120_000);
    const settled = await db.batchItem.groupBy({ by: ["status"], where: { batchId: batchId! }, _count: true });
    const counts = Object.fromEntries(settled.map((s) => [s.status, s._count]));
    expect(counts.canceled).toBeGreaterThan(0);
    const done = (counts.succeeded ?? 0) + (counts.failed ?? 0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await db.batchItem.count({ where: { batchId: batchId!, status: { in: ["succeeded", "failed"] } } })).toBe(done);
  }, 240_000);
});
