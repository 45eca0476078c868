import { CHARS_PER_TOKEN, costFromUsageMicros } from "~/generation/token-price";
import type { GenerationRequest } from "~/generation/provider";
import type { GeminiModelFacts } from "./models";


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
