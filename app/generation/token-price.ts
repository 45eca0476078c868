import type { PriceModel, Usage } from "./provider";

/** A provider that bills per token, with every rate in micro-dollars per 1M tokens. */
export type TokenPrice = PriceModel & {
  kind: "per-token";
  textInputPerMTok: number;
  imageInputPerMTok: number;
  cachedInputPerMTok: number;
  imageOutputPerMTok: number;
  textOutputPerMTok: number;
};

/**
 * Micro-dollars for `usage`. Rates are per 1M tokens, so the exact amount is
 * sum(tokens × rate) / 1e6; we divide once and round up so that a sum of many
 * calls never under-counts what the provider bills. Cached tokens are part of
 * the prompt count and billed at the cached rate instead of the text rate.
 */
export function costFromUsageMicros(price: TokenPrice, usage: Usage): number {
  const uncachedText = Math.max(0, usage.inputTextTokens - usage.cachedInputTokens);
  const scaled =
    uncachedText * price.textInputPerMTok +
    usage.cachedInputTokens * price.cachedInputPerMTok +
    usage.inputImageTokens * price.imageInputPerMTok +
    usage.outputImageTokens * price.imageOutputPerMTok +
    usage.outputTextTokens * price.textOutputPerMTok;
  return Math.ceil(scaled / 1_000_000);
}

/** English text averages about four characters per token. */
export const CHARS_PER_TOKEN = 4;
