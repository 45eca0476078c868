/**
 * A shop's settings as stored in Shop.settingsJson and edited on the settings
 * page. Shared by the browser form and the server, so both refuse the same
 * input. Missing sections take their defaults, so settings written by an older
 * version still read.
 */
import { z } from "zod";
import { MAX_PRESETS_PER_BATCH } from "~/batches/batch-request";
import { MAX_CANDIDATES } from "~/generation/presets/variations";

const productGid = z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/, "must be a Shopify product id");
const presetIds = z
  .array(z.string().min(1).max(100))
  .min(1, "Choose at least one preset")
  .max(MAX_PRESETS_PER_BATCH, `At most ${MAX_PRESETS_PER_BATCH} presets`)
  .transform((ids) => [...new Set(ids)]);
const micros = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const RESULT_MODES = ["review", "auto-publish-if-no-image"] as const;
export type ResultMode = (typeof RESULT_MODES)[number];

export const automationSchema = z.object({
  enabled: z.boolean().default(false),
  presetIds: presetIds.default(["packshot-white"]),
  candidatesPerProduct: z.number().int().min(1).max(MAX_CANDIDATES).default(2),
  providerId: z.string().min(1).max(40).default("studio"),
  model: z.string().min(1).max(80).default("studio-1"),
  quality: z.enum(["low", "medium", "high", "auto"]).default("medium"),
  size: z.string().regex(/^(auto|\d{2,5}x\d{2,5})$/, "must be auto or WIDTHxHEIGHT").default("1024x1024"),
  format: z.enum(["png", "jpeg", "webp"]).default("webp"),
  /** Work from the product's photo (needed by product-preserving presets and the studio). */
  useReference: z.boolean().default(true),
  /** Cap on one product's automatic batch; null = only the month caps apply. */
  perProductCapMicros: micros.nullable().default(null),
  /** Cap on everything automation spends in a calendar month (UTC), inside the shop's own budget. */
  monthlyCapMicros: micros.nullable().default(null),
  /** Leave candidates for review, or publish the best as featured image when the product has no image of its own. */
  resultMode: z.enum(RESULT_MODES).default("review"),
  /** Regenerate when a product's title or description changes meaningfully. */
  refreshOnEdit: z.boolean().default(false),
  /** Edits within this window are collapsed into one refresh. */
  refreshDebounceSeconds: z.number().int().min(0).max(86_400).default(300),
});
export type AutomationSettings = z.output<typeof automationSchema>;

export const scheduleSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, "must be lowercase letters, digits and hyphens"),
  name: z.string().trim().min(1).max(80),
  enabled: z.boolean().default(true),
  presetIds,
  productGids: z.array(productGid).min(1, "Choose at least one product").max(100, "At most 100 products per schedule"),
  candidatesPerProduct: z.number().int().min(1).max(MAX_CANDIDATES).default(1),
  /** The first run; later runs follow every `everyHours`. */
  startsAt: z.string().datetime({ offset: true }),
  everyHours: z.number().int().min(1).max(24 * 366),
});
export type Schedule = z.output<typeof scheduleSchema>;

export const abDefaultsSchema = z.object({
  /** Share of storefront traffic that sees the new image. */
  trafficPercent: z.number().int().min(1).max(99).default(50),
  minVisitorsPerVariant: z.number().int().min(50).max(1_000_000).default(500),
  maxDays: z.number().int().min(1).max(90).default(14),
});

export const privacySchema = z.object({
  /** The storefront pixel records anonymous view/click events for A/B tests. */
  pixelEnabled: z.boolean().default(true),
  eventRetentionDays: z.number().int().min(1).max(365).default(90),
});

export const shopSettingsSchema = z.object({
  automation: automationSchema.default({}),
  schedules: z
    .array(scheduleSchema)
    .max(20, "At most 20 schedules")
    .refine((list) => new Set(list.map((s) => s.id)).size === list.length, "Schedule ids must be unique")
    .default([]),
  /** Pre-selected on the launch form. */
  defaultPresetIds: presetIds.default(["packshot-white"]),
  ab: abDefaultsSchema.default({}),
  privacy: privacySchema.default({}),
});
export type ShopSettings = z.output<typeof shopSettingsSchema>;

export const DEFAULT_SHOP_SETTINGS: ShopSettings = shopSettingsSchema.parse({});

/**
 * Stored settings, falling back section by section: a section that no longer
 * validates (the schema tightened) takes its defaults instead of breaking the shop.
 */
export function readShopSettings(json: string): ShopSettings {
  let raw: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(json);
    raw = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    raw = {};
  }
  const whole = shopSettingsSchema.safeParse(raw);
  if (whole.success) return whole.data;
  const section = <K extends keyof ShopSettings>(key: K): ShopSettings[K] => {
    const one = shopSettingsSchema.shape[key].safeParse(raw[key]);
    return (one.success ? one.data : DEFAULT_SHOP_SETTINGS[key]) as ShopSettings[K];
  };
  return {
    automation: section("automation"),
    schedules: section("schedules"),
    defaultPresetIds: section("defaultPresetIds"),
    ab: section("ab"),
    privacy: section("privacy"),
  };
}
