/**
 * A shop's own provider key, end to end below the routes: the estimate and
 * launch (createBatch with the shop's registry) and the worker's item runs
 * (itemRunnerDeps with providersFor and pacing) against test/openai-server,
 * which records the Authorization of every call.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { automationJobDeps } from "~/automation/handlers.server";
import { parseEnv } from "~/config/env.server";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { EmbeddedJobQueue } from "~/queue/embedded.server";
import { AdaptiveConcurrency, MemoryBucketStore, RateLimiter } from "~/queue/rate-limit";
import { regionEditUnavailable } from "~/review/edit-region.server";
import { setProviderKey } from "~/settings/settings.server";
import { createLocalStorage } from "~/storage/local-storage.server";
import { batchRequest, seedProducts, seedShop, startPhotoServer, type PhotoServer } from "../../test/batches/fixtures";
import { startOpenAiServer, type FakeOpenAiServer } from "../../test/openai-server/server";
import { useTestDatabase } from "../../test/support/use-test-database";
import { createBatch, planBatch } from "./create-batch.server";
import { itemRunnerDeps } from "./handlers.server";
import { accountLimits } from "./provider-pacing.server";
import { runItem } from "./run-item.server";
import { keyFingerprint, shopProviders } from "./shop-providers.server";

const t = useTestDatabase({ emptyBeforeEach: false });
const SHOP_KEY = "sk-shop-a-own-account-0001";
const encryptionKey = randomBytes(32);
let openai: FakeOpenAiServer;
let photos: PhotoServer;
let storageDir: string;
let counter = 0;

beforeAll(async () => {
  openai = await startOpenAiServer({ otherApiKeys: [SHOP_KEY] });
  photos = await startPhotoServer();
  storageDir = mkdtempSync(path.join(tmpdir(), "pis-shop-keys-"));
});
afterAll(async () => {
  await openai.close();
  await photos.close();
  rmSync(storageDir, { recursive: true, force: true });
});

async function shop(ownKey: string | null) {
  const row = await seedShop(t.db, `keys-${process.pid}-${++counter}.myshopify.com`);
  if (ownKey) await setProviderKey(t.db, encryptionKey, row.id, "openai", ownKey);
  return row;
}

const imageCalls = () => openai.requests.filter((r) => r.path.startsWith("/v1/images/"));

describe("a shop's own provider key", () => {
  it("pays for that shop's items, in its own rate bucket, while other shops use the install's key", async () => {
    const providersFor = shopProviders({ db: t.db, env: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseURL }, encryptionKey });
    const [a, b] = [await shop(SHOP_KEY), await shop(null)];
    const acquired: string[] = [];
    const limiter = new RateLimiter(new MemoryBucketStore());
    const run = itemRunnerDeps({
      db: t.db,
      registry: (await providersFor(b.id)).registry,
      providersFor,
      storage: createLocalStorage(storageDir),
      fetchImage: photos.fetchImage,
      pacing: {
        limiter: { acquire: (key, ...rest) => (acquired.push(key), limiter.acquire(key, ...rest)), block: (key, ms) => limiter.block(key, ms) },
        concurrency: new AdaptiveConcurrency({ initial: 2, max: 2 }),
        limitsFor: accountLimits({ OPENAI_IMAGES_PER_MINUTE: 60, GEMINI_IMAGES_PER_MINUTE: 60 }),
        accountFor: async (r) => (await providersFor(r.shopId)).account(r.providerId),
      },
    });

    for (const [target, calls] of [
      [a, SHOP_KEY],
      [b, openai.apiKey],
    ] as const) {
      const gids = await seedProducts(t.db, target.id, 1, photos.url);
      const request = batchRequest(gids, { providerId: "openai", model: "gpt-image-1.5" });
      const planDeps = { db: t.db, registry: (await providersFor(target.id)).registry, presets: PRESET_LIBRARY, now: () => new Date(), concurrency: 2 };
      expect((await planBatch(planDeps, target.id, request)).ok).toBe(true);
      const queue = new EmbeddedJobQueue(t.db, { queue: `shop-keys-${counter}-${target.id}`, dialect: t.kind });
      const created = await createBatch({ ...planDeps, queue }, target.id, request);
      if (!created.ok) throw new Error(created.reasons.join("; "));
      const before = imageCalls().length;
      for (const item of await t.db.batchItem.findMany({ where: { batchId: created.batchId } })) {
        await runItem(run, { itemId: item.id }, { attempt: 1, signal: new AbortController().signal });
        expect((await t.db.batchItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("succeeded");
      }
      const made = imageCalls().slice(before);
      expect(made.length).toBeGreaterThan(0);
      expect(made.map((r) => r.headers.authorization)).toEqual(made.map(() => `Bearer ${calls}`));
    }

    // A's calls drew on a bucket of A's key, B's on the install's; no bucket name holds a key.
    expect(acquired).toEqual([`openai:${keyFingerprint(SHOP_KEY)}`, "openai"]);
    expect(acquired.join(" ")).not.toContain(SHOP_KEY);
  });

  it("makes a provider the install has no key for available to the shop with its own key only", async () => {
    const providersFor = shopProviders({ db: t.db, env: { OPENAI_BASE_URL: openai.baseURL }, encryptionKey });
    const [a, b] = [await shop(SHOP_KEY), await shop(null)];
    expect((await providersFor(a.id)).registry.options().some((o) => o.providerId === "openai")).toBe(true);
    expect((await providersFor(b.id)).registry.options().map((o) => o.providerId)).toEqual(["studio"]);
  });

  it("lets automation plan a shop's launches on the provider its own key adds", async () => {
    const env = parseEnv({ SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://app.example.com", SCOPES: "read_products" });
    const providersFor = shopProviders({ db: t.db, env: { OPENAI_BASE_URL: openai.baseURL }, encryptionKey });
    const [a, b] = [await shop(SHOP_KEY), await shop(null)];
    const automation = automationJobDeps({ env, db: t.db, queue: { enqueue: async () => undefined }, registry: (await providersFor(b.id)).registry, providersFor });
    expect((await automation.planDeps(a.id, "openai")).registry.create("openai", "gpt-image-1.5").capabilities).toBeDefined();
    await expect(automation.planDeps(b.id, "openai").then((deps) => deps.registry.create("openai", "gpt-image-1.5"))).rejects.toThrow(/not set up/);
  });

  it("offers region edits on a provider only the shop's own key adds, to that shop", async () => {
    const providersFor = shopProviders({ db: t.db, env: { OPENAI_BASE_URL: openai.baseURL }, encryptionKey });
    const [a, b] = [await shop(SHOP_KEY), await shop(null)];
    expect(regionEditUnavailable((await providersFor(a.id)).registry, "openai", "gpt-image-1.5")).toBeNull();
    expect(regionEditUnavailable((await providersFor(b.id)).registry, "openai", "gpt-image-1.5")).toMatch(/not set up/);
  });

  it("does not fall back to the install's key when the shop's saved key cannot be opened", async () => {
    const a = await shop(SHOP_KEY);
    const providersFor = shopProviders({ db: t.db, env: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseURL }, encryptionKey: randomBytes(32) });
    const accounts = await providersFor(a.id);
    expect(accounts.registry.options().some((o) => o.providerId === "openai")).toBe(false);
    expect(() => accounts.registry.create("openai", "gpt-image-1.5")).toThrow(/Save it again/);
  });
});
