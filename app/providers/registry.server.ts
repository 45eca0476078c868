/**
 * Which image providers this install can use, built from the environment.
 * Everything else (batch validation, the launch form) decides by the
 * capabilities and prices listed here, never by provider name. API keys stay
 * inside the provider clients: nothing this module returns carries one.
 */
import type { Env } from "~/config/env.server";
import type { ImageProvider, PriceModel, ProviderCapabilities } from "~/generation/provider";
import { createGeminiProvider } from "./gemini/gemini-provider.server";
import { DEFAULT_GEMINI_IMAGE_MODEL, GEMINI_IMAGE_MODELS, isGeminiImageModel } from "./gemini/models";
import { createOpenAiProvider } from "./openai/openai-provider.server";
import { DEFAULT_OPENAI_IMAGE_MODEL, OPENAI_IMAGE_MODELS, isOpenAiImageModel, lifecycleState } from "./openai/models";
import { createStudioProvider } from "./studio/provider.server";

export const PROVIDER_IDS = ["studio", "openai", "gemini"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
export const DEFAULT_PROVIDER_ID: ProviderId = "studio";

export type ProviderEnv = Pick<Env, "OPENAI_API_KEY" | "OPENAI_BASE_URL" | "GEMINI_API_KEY" | "GEMINI_BASE_URL"> &
  Partial<Pick<Env, "OPENAI_REQUEST_TIMEOUT_MS">>;

/** One provider and model as the merchant can choose it. Safe to send to the browser. */
export interface ProviderModelOption {
  providerId: ProviderId;
  model: string;
  label: string;
  isDefault: boolean;
  capabilities: ProviderCapabilities;
  price: PriceModel;
  /** Shown next to the option, e.g. a model's coming shutdown. */
  notice: string | null;
}

export class UnknownProviderError extends Error {
  override name = "UnknownProviderError";
}

export interface ProviderRegistry {
  /** Every configured provider × model, the default first. */
  options(): ProviderModelOption[];
  /** A ready provider; throws UnknownProviderError for one not configured or a model it lacks. */
  create(providerId: string, model: string): ImageProvider;
}

interface Entry {
  label: string;
  defaultModel: string;
  models(now: Date): { model: string; notice: string | null }[];
  build(model: string): ImageProvider;
}

export function createProviderRegistry(env: ProviderEnv, now: () => Date = () => new Date()): ProviderRegistry {
  const entries = new Map<ProviderId, Entry>();
  entries.set("studio", {
    label: "Built-in studio (free)",
    defaultModel: "studio-1",
    models: () => [{ model: "studio-1", notice: null }],
    build: (model) => {
      if (model !== "studio-1") throw new UnknownProviderError(`The studio has no model "${model}".`);
      return createStudioProvider();
    },
  });
  const openAiKey = env.OPENAI_API_KEY;
  if (openAiKey) {
    entries.set("openai", {
      label: "OpenAI GPT Image",
      defaultModel: DEFAULT_OPENAI_IMAGE_MODEL,
      models: (at) =>
        Object.values(OPENAI_IMAGE_MODELS).flatMap((facts) => {
          const state = lifecycleState(facts, at);
          if (state.state === "retired") return [];
          return [{ model: facts.id, notice: state.state === "available" ? null : state.message }];
        }),
      build: (model) => {
        if (!isOpenAiImageModel(model)) throw new UnknownProviderError(`OpenAI has no image model "${model}".`);
        return createOpenAiProvider({
          apiKey: openAiKey,
          baseURL: env.OPENAI_BASE_URL,
          model,
          clock: now,
          ...(env.OPENAI_REQUEST_TIMEOUT_MS !== undefined && { timeoutMs: env.OPENAI_REQUEST_TIMEOUT_MS }),
        });
      },
    });
  }
  const geminiKey = env.GEMINI_API_KEY;
  if (geminiKey) {
    entries.set("gemini", {
      label: "Google Gemini",
      defaultModel: DEFAULT_GEMINI_IMAGE_MODEL,
      models: () => Object.keys(GEMINI_IMAGE_MODELS).map((model) => ({ model, notice: null })),
      build: (model) => {
        if (!isGeminiImageModel(model)) throw new UnknownProviderError(`Gemini has no image model "${model}".`);
        return createGeminiProvider({ apiKey: geminiKey, baseUrl: env.GEMINI_BASE_URL, model });
      },
    });
  }

  function entry(providerId: string): Entry {
    const found = entries.get(providerId as ProviderId);
    if (!found) throw new UnknownProviderError(`The image provider "${providerId}" is not set up on this app.`);
    return found;
  }

  return {
    options() {
      const at = now();
      return [...entries].flatMap(([providerId, e]) =>
        e.models(at).map(({ model, notice }) => {
          const provider = e.build(model);
          return {
            providerId,
            model,
            label: `${e.label} · ${model}`,
            isDefault: providerId === DEFAULT_PROVIDER_ID && model === e.defaultModel,
            capabilities: provider.capabilities,
            price: provider.price,
            notice,
          };
        }),
      );
    },
    create(providerId, model) {
      return entry(providerId).build(model);
    },
  };
}
