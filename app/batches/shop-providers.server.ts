/**
 * The provider accounts a shop's generation uses: the shop's own API key when
 * it saved one on the settings page, otherwise the install's. Rate limits are
 * per provider account, so a shop's own key is paced in its own bucket, named
 * by a fingerprint of the key (never the key itself), and never draws on the
 * install's.
 */
import { createHash } from "node:crypto";
import type { Db } from "~/db/client.server";
import { createProviderRegistry, UnknownProviderError, type ProviderEnv, type ProviderRegistry } from "~/providers/registry.server";
import { SecretDecryptionError } from "~/settings/secret-box.server";
import { getProviderKey, KEYED_PROVIDERS, type KeyedProvider } from "~/settings/settings.server";

export interface ShopProviderAccounts {
  registry: ProviderRegistry;
  /** The rate-limit account a provider's calls draw on: the provider id for the install's key, `<provider>:<fingerprint>` for the shop's. */
  account(providerId: string): string;
}

export type ShopProviders = (shopId: string) => Promise<ShopProviderAccounts>;

const ENV_KEY: Record<KeyedProvider, "OPENAI_API_KEY" | "GEMINI_API_KEY"> = { openai: "OPENAI_API_KEY", gemini: "GEMINI_API_KEY" };

export function keyFingerprint(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex").slice(0, 16);
}

export function shopProviders(deps: { db: Db; env: ProviderEnv; encryptionKey: Buffer | undefined; now?: () => Date }): ShopProviders {
  const install = createProviderRegistry(deps.env, deps.now);
  return async (shopId) => {
    const own = new Map<KeyedProvider, string>();
    const unreadable: KeyedProvider[] = [];
    const stored = await deps.db.shopSecret.findMany({ where: { shopId }, select: { name: true } });
    for (const provider of KEYED_PROVIDERS) {
      if (!stored.some((row) => row.name === provider)) continue;
      try {
        const key = deps.encryptionKey ? await getProviderKey(deps.db, deps.encryptionKey, shopId, provider) : null;
        if (key) own.set(provider, key);
        else unreadable.push(provider);
      } catch (error) {
        if (!(error instanceof SecretDecryptionError)) throw error;
        unreadable.push(provider);
      }
    }
    if (own.size === 0 && unreadable.length === 0) return { registry: install, account: (providerId) => providerId };
    const env: ProviderEnv = { ...deps.env };
    for (const [provider, key] of own) env[ENV_KEY[provider]] = key;
    // A key the shop saved but this install cannot open is not swapped for the install's: the merchant chose to pay with their own account.
    const registry = withoutProviders(createProviderRegistry(env, deps.now), unreadable);
    return {
      registry,
      account: (providerId) => {
        const key = own.get(providerId as KeyedProvider);
        return key ? `${providerId}:${keyFingerprint(key)}` : providerId;
      },
    };
  };
}

function withoutProviders(registry: ProviderRegistry, providerIds: string[]): ProviderRegistry {
  if (providerIds.length === 0) return registry;
  return {
    options: () => registry.options().filter((option) => !providerIds.includes(option.providerId)),
    create(providerId, model) {
      if (providerIds.includes(providerId)) {
        throw new UnknownProviderError(`Your saved ${providerId} API key can't be read on this install. Save it again on the Settings page.`);
      }
      return registry.create(providerId, model);
    },
  };
}
