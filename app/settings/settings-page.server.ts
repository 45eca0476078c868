/**
 * The settings page's use cases: everything the page shows, and one update
 * per card. Provider keys come back only as "set" and their last four
 * characters; the plaintext never leaves the server.
 */
import { z } from "zod";
import { recentRuns, type RunView } from "~/automation/runs.server";
import type { Db } from "~/db/client.server";
import { brandKitSchema, type BrandKit } from "~/generation/presets/brand-kit";
import type { Preset } from "~/generation/presets/types";
import type { ProviderModelOption } from "~/providers/registry.server";
import {
  KEYED_PROVIDERS,
  clearProviderKey,
  getBrandKit,
  getMonthlyBudget,
  getShopSettings,
  providerKeyStates,
  saveBrandKit,
  saveMonthlyBudget,
  saveShopSettings,
  setProviderKey,
  type ProviderKeyState,
} from "./settings.server";
import { abDefaultsSchema, automationSchema, privacySchema, shopSettingsSchema, type ShopSettings } from "./shop-settings";

export interface SettingsView {
  settings: ShopSettings;
  monthlyBudgetMicros: number;
  brandKit: BrandKit;
  providerKeys: ProviderKeyState[];
  /** False when the server has no SETTINGS_ENCRYPTION_KEY: keys cannot be stored. */
  keysStorable: boolean;
  presets: Pick<Preset, "id" | "name" | "category">[];
  providers: ProviderModelOption[];
  runs: RunView[];
}

export interface SettingsDeps {
  db: Db;
  encryptionKey: Buffer | undefined;
  presets(shopId: string): Promise<readonly Preset[]>;
  /** What the shop may choose: the install's providers and any its own keys add. */
  providers(shopId: string): Promise<ProviderModelOption[]>;
}

export async function loadSettingsView(deps: SettingsDeps, shopId: string): Promise<SettingsView> {
  const [settings, monthlyBudgetMicros, brandKit, providerKeys, presets, runs, providers] = await Promise.all([
    getShopSettings(deps.db, shopId),
    getMonthlyBudget(deps.db, shopId),
    getBrandKit(deps.db, shopId),
    providerKeyStates(deps.db, shopId),
    deps.presets(shopId),
    recentRuns(deps.db, shopId),
    deps.providers(shopId),
  ]);
  return {
    settings,
    monthlyBudgetMicros,
    brandKit,
    providerKeys,
    keysStorable: deps.encryptionKey !== undefined,
    presets: presets.map((p) => ({ id: p.id, name: p.name, category: p.category })),
    providers,
    runs,
  };
}

const money = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const settingsUpdateSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("automation"), value: automationSchema }),
  z.object({ intent: z.literal("schedules"), value: shopSettingsSchema.shape.schedules }),
  z.object({ intent: z.literal("defaults"), value: z.object({ defaultPresetIds: shopSettingsSchema.shape.defaultPresetIds, ab: abDefaultsSchema, privacy: privacySchema }) }),
  z.object({ intent: z.literal("brand-kit"), value: brandKitSchema }),
  z.object({ intent: z.literal("budget"), value: z.object({ monthlyBudgetMicros: money }) }),
  z.object({ intent: z.literal("provider-key"), value: z.object({ provider: z.enum(KEYED_PROVIDERS), key: z.string().trim().min(8, "That does not look like an API key").max(400).nullable() }) }),
]);
export type SettingsUpdate = z.input<typeof settingsUpdateSchema>;

export type UpdateResult = { ok: true } | { ok: false; message: string };

export async function updateSettings(deps: SettingsDeps, shopId: string, update: z.output<typeof settingsUpdateSchema>): Promise<UpdateResult> {
  const { db } = deps;
  const known = new Set((await deps.presets(shopId)).map((p) => p.id));
  const unknownPresets = (ids: string[]) => ids.filter((id) => !known.has(id));
  switch (update.intent) {
    case "automation": {
      const missing = unknownPresets(update.value.presetIds);
      if (missing.length > 0) return { ok: false, message: `Unknown preset: ${missing.join(", ")}.` };
      const provider = (await deps.providers(shopId)).find((p) => p.providerId === update.value.providerId && p.model === update.value.model);
      if (!provider) return { ok: false, message: "That provider and model are not available to this shop." };
      const current = await getShopSettings(db, shopId);
      await saveShopSettings(db, shopId, { ...current, automation: update.value });
      return { ok: true };
    }
    case "schedules": {
      const missing = unknownPresets(update.value.flatMap((s) => s.presetIds));
      if (missing.length > 0) return { ok: false, message: `Unknown preset: ${missing.join(", ")}.` };
      const current = await getShopSettings(db, shopId);
      await saveShopSettings(db, shopId, { ...current, schedules: update.value });
      return { ok: true };
    }
    case "defaults": {
      const missing = unknownPresets(update.value.defaultPresetIds);
      if (missing.length > 0) return { ok: false, message: `Unknown preset: ${missing.join(", ")}.` };
      const current = await getShopSettings(db, shopId);
      await saveShopSettings(db, shopId, { ...current, ...update.value });
      return { ok: true };
    }
    case "brand-kit":
      await saveBrandKit(db, shopId, update.value);
      return { ok: true };
    case "budget":
      await saveMonthlyBudget(db, shopId, update.value.monthlyBudgetMicros);
      return { ok: true };
    case "provider-key": {
      const { provider, key } = update.value;
      if (key === null) {
        await clearProviderKey(db, shopId, provider);
        return { ok: true };
      }
      if (!deps.encryptionKey) return { ok: false, message: "This install cannot store API keys: its operator has to set SETTINGS_ENCRYPTION_KEY." };
      await setProviderKey(db, deps.encryptionKey, shopId, provider, key);
      return { ok: true };
    }
  }
}
