import type { Db } from "~/db/client.server";
import { brandKitSchema, EMPTY_BRAND_KIT, type BrandKit } from "~/generation/presets/brand-kit";
import { customPresetSchema, toPreset } from "~/generation/presets/custom-preset";
import type { Preset } from "~/generation/presets/types";

/** The shop's own presets (the built-in library comes on top of these). */
export async function customPresets(db: Db, shopId: string): Promise<Preset[]> {
  const rows = await db.shopPreset.findMany({ where: { shopId }, orderBy: { name: "asc" } });
  // A stored preset that no longer validates (the schema tightened) is left out rather than breaking every batch.
  return rows.flatMap((row) => {
    const parsed = customPresetSchema.safeParse(JSON.parse(row.definitionJson));
    return parsed.success ? [toPreset(row.id, parsed.data)] : [];
  });
}

export async function brandKitForShop(db: Db, shopId: string): Promise<BrandKit> {
  const row = await db.brandKit.findUnique({ where: { shopId } });
  if (!row) return EMPTY_BRAND_KIT;
  const parsed = brandKitSchema.safeParse({ enabled: row.enabled, ...(JSON.parse(row.kitJson) as object) });
  return parsed.success ? parsed.data : EMPTY_BRAND_KIT;
}
