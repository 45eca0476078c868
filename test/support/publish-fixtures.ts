/**
 * Publishing against the local store with the app's real pieces: the offline
 * Admin client (from a Session row holding a token the store issued, routed by
 * SHOPIFY_SHOP_ORIGIN_OVERRIDES), local storage, and the test database.
 */
import { mkdtempSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { parseEnv, type Env } from "~/config/env.server";
import type { Db } from "~/db/client.server";
import type { PublishDeps } from "~/publish/publish.server";
import { createOfflineAdminFactory } from "~/shopify/offline-admin.server";
import { createLocalStorage } from "~/storage/local-storage.server";
import type { ObjectStorage } from "~/storage/types";
import type { LocalStore } from "../shopify-store/server";
import { offlineToken, TEST_APP } from "../shopify-store/test-harness";
import { TMP } from "./databases";

export function publishEnv(store: LocalStore, databaseUrl: string, extra: Record<string, string> = {}): Env {
  return parseEnv({
    NODE_ENV: "test",
    SHOPIFY_API_KEY: TEST_APP.apiKey,
    SHOPIFY_API_SECRET: TEST_APP.apiSecret,
    SHOPIFY_APP_URL: TEST_APP.appUrl,
    SCOPES: TEST_APP.scopes,
    DATABASE_URL: databaseUrl,
    SHOPIFY_SHOP_ORIGIN_OVERRIDES: store.originOverrides(),
    ...extra,
  });
}

export interface PublishWorld {
  deps: PublishDeps;
  storage: ObjectStorage;
  env: Env;
  shopId: (domain: string) => Promise<string>;
}

/** Installs each shop (Shop row + offline session with a token the store issued). */
export async function publishWorld(store: LocalStore, db: Db, databaseUrl: string, shops: string[]): Promise<PublishWorld> {
  const env = publishEnv(store, databaseUrl);
  const storage = createLocalStorage(mkdtempSync(path.join(TMP, "publish-storage-")));
  for (const domain of shops) {
    await db.shop.upsert({ where: { domain }, create: { domain, scopes: TEST_APP.scopes }, update: {} });
    const accessToken = await offlineToken(store, domain);
    await db.session.upsert({
      where: { id: `offline_${domain}` },
      create: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, accessToken, scope: TEST_APP.scopes },
      update: { accessToken },
    });
  }
  return {
    env,
    storage,
    deps: {
      db,
      admin: createOfflineAdminFactory(env, db),
      storage,
      now: () => new Date(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
    shopId: async (domain) => (await db.shop.findUniqueOrThrow({ where: { domain } })).id,
  };
}

export async function pngBytes(width = 640, height = 640, rgb: [number, number, number] = [200, 80, 60]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
}

let seq = 0;

/** An approved candidate whose bytes are in storage. `bytes` may be anything (a corrupt file, say). */
export async function approvedCandidate(
  db: Db,
  storage: ObjectStorage,
  input: { shopId: string; productGid: string; bytes?: Buffer; format?: string; width?: number; height?: number; altText?: string | null; presetId?: string },
) {
  seq += 1;
  const bytes = input.bytes ?? (await pngBytes(640, 640, [(seq * 37) % 256, (seq * 91) % 256, (seq * 53) % 256]));
  const key = `shops/${input.shopId}/candidates/c${seq}-${Date.now()}.png`;
  await storage.put(key, bytes, "image/png");
  return db.candidate.create({
    data: {
      shopId: input.shopId,
      productGid: input.productGid,
      presetId: input.presetId ?? "packshot-white",
      providerId: "studio",
      model: "studio-1",
      seed: seq,
      status: "approved",
      storageKey: key,
      thumbSmallKey: key,
      thumbLargeKey: key,
      format: input.format ?? "png",
      width: input.width ?? 640,
      height: input.height ?? 640,
      bytes: bytes.length,
      perceptualHash: "0",
      promptHash: "0",
      altText: input.altText === undefined ? "Ocean Shirt on a white seamless paper backdrop." : input.altText,
    },
  });
}

/** What a merchant sees of a product's gallery in the store: order, ids, alt text, status. */
export function galleryOf(store: LocalStore, shop: string, productId: number) {
  const product = store.data.shop(shop).products.get(productId);
  if (!product) throw new Error(`no product ${productId}`);
  return product.media.map((m) => ({ id: `gid://shopify/MediaImage/${m.id}`, alt: m.alt, status: m.status, fileName: m.image.fileName }));
}
