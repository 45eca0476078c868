import type { GenerationRequest, Usage } from "~/generation/provider";
import type { GeminiModelFacts, TokenPrice } from "./models";

/**
 * Micro-dollars for `usage`. Rates are per 1M tokens, so the exact amount is
 * sum(tokens × rate) / 1e6; we divide once and round up so that a sum of many
 * calls never under-counts what Google bills. Cached tokens are part of the
 * prompt count and billed at the cached rate instead of the text rate.
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
const CHARS_PER_TOKEN = 4;

/** Without an aspect ratio Gemini renders its default: a square at the 1K tier. */
const DEFAULT_SIZE = "1024x1024";

/**
 * Before-the-call estimate. Thinking tokens (Gemini 3) are a few hundred text
 * tokens, well under a cent, and are left out.
 */
export function estimateCostMicros(
  facts: GeminiModelFacts,
  request: Pick<GenerationRequest, "n" | "size" | "quality" | "references" | "prompt">,
): number {
  const size = facts.sizes[request.size] ?? facts.sizes[DEFAULT_SIZE];
  return costFromUsageMicros(facts.price, {
    inputTextTokens: Math.ceil(request.prompt.length / CHARS_PER_TOKEN),
    inputImageTokens: request.references.length * facts.estimatedTokensPerReference,
    outputImageTokens: request.n * (size?.outputTokens ?? 0),
    outputTextTokens: 0,
    cachedInputTokens: 0,
  });
}
