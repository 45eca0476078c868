import { CHARS_PER_TOKEN, costFromUsageMicros } from "~/generation/token-price";
import type { GenerationRequest, Quality } from "~/generation/provider";
import type { FixedSize, OpenAiModelFacts } from "./models";
import { parseSize } from "./sizes";


const REFERENCE_SIZE: FixedSize = "1024x1024";
const REFERENCE_PIXELS = 1024 * 1024;

/**
 * Output image tokens for one image. "auto" quality is budgeted as high and
 * "auto" size as the largest standard size, because an estimate is used to
 * reserve budget and must not come in under the bill. Custom sizes scale the
 * square's count by pixel area (the published table is close to linear in
 * area: 1024x1536 high = 1.5 × 1024x1024 high).
 */
export function outputTokensPerImage(facts: OpenAiModelFacts, size: string, quality: Quality): number {
  const table = facts.outputTokens[quality === "auto" ? "high" : quality];
  if (size === "auto") return Math.max(...Object.values(table));
  if (size in table) return table[size as FixedSize];
  const dims = parseSize(size);
  if (!dims) return Math.max(...Object.values(table));
  return Math.ceil((table[REFERENCE_SIZE] * dims.width * dims.height) / REFERENCE_PIXELS);
}

/**
 * Before-the-call estimate. Models billed for text output (gpt-image-1.5 and
 * later) produce text roughly in proportion to the prompt they plan from; we
 * budget as many text output tokens as prompt tokens — an assumption to
 * recalibrate from recorded usage.
 */
export function estimateCostMicros(
  facts: OpenAiModelFacts,
  request: Pick<GenerationRequest, "n" | "size" | "quality" | "references" | "prompt">,
): number {
  const promptTokens = Math.ceil(request.prompt.length / CHARS_PER_TOKEN);
  return costFromUsageMicros(facts.price, {
    inputTextTokens: promptTokens,
    inputImageTokens: request.references.length * facts.estimatedTokensPerReference,
    outputImageTokens: request.n * outputTokensPerImage(facts, request.size, request.quality),
    outputTextTokens: facts.price.textOutputPerMTok > 0 ? promptTokens : 0,
    cachedInputTokens: 0,
  });
}
