/** The settings page offers automation the providers the shop's own keys add, and only to that shop. */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { shopProviders } from "~/batches/shop-providers.server";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { useTestDatabase } from "../../test/support/use-test-database";
import { loadSettingsView, settingsUpdateSchema, updateSettings, type SettingsDeps } from "./settings-page.server";
import { setProviderKey } from "./settings.server";

const t = useTestDatabase({ emptyBeforeEach: false });

describe("automation's provider choice", () => {
  it("accepts a provider only the shop's own key adds, for that shop and no other", async () => {
    const encryptionKey = randomBytes(32);
    // The install itself has no OpenAI key.
    const providersFor = shopProviders({ db: t.db, env: {}, encryptionKey });
    const deps: SettingsDeps = {
      db: t.db,
      encryptionKey,
      presets: async () => PRESET_LIBRARY,
      providers: async (shopId) => (await providersFor(shopId)).registry.options(),
    };
    const [a, b] = [
      await t.db.shop.create({ data: { domain: `settings-a-${process.pid}.myshopify.com` } }),
      await t.db.shop.create({ data: { domain: `settings-b-${process.pid}.myshopify.com` } }),
    ];
    await setProviderKey(t.db, encryptionKey, a.id, "openai", "sk-shop-a-own-account-0002");
    const choose = settingsUpdateSchema.parse({ intent: "automation", value: { providerId: "openai", model: "gpt-image-1.5" } });

    expect((await loadSettingsView(deps, a.id)).providers.some((p) => p.providerId === "openai")).toBe(true);
    expect(await updateSettings(deps, a.id, choose)).toEqual({ ok: true });
    expect((await loadSettingsView(deps, b.id)).providers.some((p) => p.providerId === "openai")).toBe(false);
    expect(await updateSettings(deps, b.id, choose)).toMatchObject({ ok: false });
  });
});
