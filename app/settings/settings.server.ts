/**
 * Reading and writing a shop's settings: the JSON sections, the month budget,
 * the brand kit and the sealed provider keys. Every call is scoped by shopId.
 */
import type { Db } from "~/db/client.server";
import { brandKitSchema, EMPTY_BRAND_KIT, type BrandKit } from "~/generation/presets/brand-kit";
import { lastFour, openSecret, sealSecret } from "./secret-box.server";
import { readShopSettings, shopSettingsSchema, type ShopSettings } from "./shop-settings";

/** Providers a merchant may bring their own key for. */
export const KEYED_PROVIDERS = ["openai", "gemini"] as const;
export type KeyedProvider = (typeof KEYED_PROVIDERS)[number];

/** What the browser may know about a stored key. */
export interface ProviderKeyState {
  provider: KeyedProvider;
  set: boolean;
  last4: string | null;
}

export async function getShopSettings(db: Db, shopId: string): Promise<ShopSettings> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { settingsJson: true } });
  return readShopSettings(shop?.settingsJson ?? "{}");
}

export async function saveShopSettings(db: Db, shopId: string, settings: ShopSettings): Promise<void> {
  const valid = shopSettingsSchema.parse(settings);
  await db.shop.update({ where: { id: shopId }, data: { settingsJson: JSON.stringify(valid) } });
}

export async function saveMonthlyBudget(db: Db, shopId: string, micros: number): Promise<void> {
  await db.shop.update({ where: { id: shopId }, data: { monthlyBudgetMicros: BigInt(micros) } });
}

export async function getMonthlyBudget(db: Db, shopId: string): Promise<number> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { monthlyBudgetMicros: true } });
  return Number(shop.monthlyBudgetMicros);
}

export async function getBrandKit(db: Db, shopId: string): Promise<BrandKit> {
  const row = await db.brandKit.findUnique({ where: { shopId } });
  if (!row) return EMPTY_BRAND_KIT;
  const parsed = brandKitSchema.safeParse({ enabled: row.enabled, ...(JSON.parse(row.kitJson) as object) });
  return parsed.success ? parsed.data : EMPTY_BRAND_KIT;
}

export async function saveBrandKit(db: Db, shopId: string, kit: BrandKit): Promise<void> {
  const { enabled, ...rest } = brandKitSchema.parse(kit);
  const kitJson = JSON.stringify(rest);
  await db.brandKit.upsert({ where: { shopId }, create: { shopId, enabled, kitJson }, update: { enabled, kitJson } });
}

export async function providerKeyStates(db: Db, shopId: string): Promise<ProviderKeyState[]> {
  const rows = await db.shopSecret.findMany({ where: { shopId }, select: { name: true, last4: true } });
  return KEYED_PROVIDERS.map((provider) => {
    const row = rows.find((r) => r.name === provider);
    return { provider, set: Boolean(row), last4: row?.last4 ?? null };
  });
}

export async function setProviderKey(db: Db, encryptionKey: Buffer, shopId: string, provider: KeyedProvider, plaintext: string): Promise<void> {
  const data = { ciphertext: sealSecret(encryptionKey, shopId, provider, plaintext), last4: lastFour(plaintext) };
  await db.shopSecret.upsert({ where: { shopId_name: { shopId, name: provider } }, create: { shopId, name: provider, ...data }, update: data });
}

export async function clearProviderKey(db: Db, shopId: string, provider: KeyedProvider): Promise<void> {
  await db.shopSecret.deleteMany({ where: { shopId, name: provider } });
}

/** The shop's own key for a provider, decrypted; null when none is stored. Server only. */
export async function getProviderKey(db: Db, encryptionKey: Buffer, shopId: string, provider: KeyedProvider): Promise<string | null> {
  const row = await db.shopSecret.findUnique({ where: { shopId_name: { shopId, name: provider } } });
  return row ? openSecret(encryptionKey, shopId, provider, row.ciphertext) : null;
}
