/** The settings use cases wired for the app's routes. */
import { presetsFor, providerOptionsFor } from "~/batches/services.server";
import { requireEnv } from "~/config/env.server";
import { db } from "~/db.server";
import type { SettingsDeps } from "./settings-page.server";

export const settingsDeps: SettingsDeps = {
  db,
  encryptionKey: requireEnv().SETTINGS_ENCRYPTION_KEY,
  presets: presetsFor,
  providers: providerOptionsFor,
};
