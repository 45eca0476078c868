import type { ProviderCapabilities } from "../provider";
import { PRESET_LIBRARY } from "./library";
import type { Preset, RequiredCapability } from "./types";

/** Merchant-facing wording: what the provider would need to be able to do. */
const MISSING_CAPABILITY_REASON: Record<RequiredCapability, string> = {
  generate: "Needs a provider that can create new images",
  editWithReferences: "Needs a provider that can work from your product photo",
  mask: "Needs a provider that can repaint selected areas",
  transparentBackground: "Needs a provider that can make transparent backgrounds",
  onModel: "Needs a provider that can show products on people",
};

export interface PresetAvailability {
  preset: Preset;
  available: boolean;
  missing: RequiredCapability[];
  /** Present when not available. */
  reason?: string;
}

export function presetsAvailableFor(
  capabilities: ProviderCapabilities,
  presets: readonly Preset[] = PRESET_LIBRARY,
): PresetAvailability[] {
  return presets.map((preset) => {
    const missing = preset.requires.filter((c) => !capabilities[c]);
    if (missing.length === 0) return { preset, available: true, missing };
    return { preset, available: false, missing, reason: missing.map((c) => MISSING_CAPABILITY_REASON[c]).join("; ") };
  });
}
