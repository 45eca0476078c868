import {
  FinishReason,
  GoogleGenAI,
  HarmBlockThreshold,
  HarmCategory,
  MediaModality,
  type GenerateContentConfig,
  type GenerateContentResponse,
  type GenerateContentResponseUsageMetadata,
  type Part,
  type SafetyRating,
} from "@google/genai";
import sharp from "sharp";
import { ProviderError } from "~/generation/errors";
import type {
  GeneratedImage,
  GenerationRequest,
  GenerationResult,
  ImageFormat,
  ImageProvider,
  ProviderCapabilities,
  Usage,
} from "~/generation/provider";
import { costFromUsageMicros } from "~/generation/token-price";
import { estimateCostMicros } from "./cost";
import { GEMINI_PROVIDER_ID, toProviderError } from "./errors.server";
import {
  DEFAULT_GEMINI_IMAGE_MODEL,
  GEMINI_IMAGE_MODELS,
  isGeminiImageModel,
  type GeminiImageModelId,
  type GeminiModelFacts,
} from "./models";

export interface GeminiProviderOptions {
  apiKey: string;
  /** Points the SDK elsewhere, e.g. at the local test server. */
  baseUrl?: string;
  /** Defaults to the GA model. */
  model?: GeminiImageModelId;
  /** Default per-request deadline; a request's own `timeoutMs` wins. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 180_000;
const MAX_PROMPT_CHARS = 32_000;
const ACCEPTED_REFERENCE_TYPES = new Set(["image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"]);

/** Finish reasons and block reasons that mean "the safety system said no". */
const SAFETY_FINISH_REASONS = new Set<string>([
  FinishReason.SAFETY,
  FinishReason.PROHIBITED_CONTENT,
  FinishReason.BLOCKLIST,
  FinishReason.SPII,
  FinishReason.IMAGE_SAFETY,
  FinishReason.IMAGE_PROHIBITED_CONTENT,
]);

/**
 * "low" moderation is the closest Gemini equivalent of OpenAI's: block only
 * content rated high-probability harmful. "auto" keeps Google's defaults.
 */
const LOW_MODERATION_SETTINGS = [
  HarmCategory.HARM_CATEGORY_HARASSMENT,
  HarmCategory.HARM_CATEGORY_HATE_SPEECH,
  HarmCategory.HARM_CATEGORY_SEXUALLY_EXPLICIT,
  HarmCategory.HARM_CATEGORY_DANGEROUS_CONTENT,
].map((category) => ({ category, threshold: HarmBlockThreshold.BLOCK_ONLY_HIGH }));

export function createGeminiProvider(options: GeminiProviderOptions): ImageProvider {
  const model = options.model ?? DEFAULT_GEMINI_IMAGE_MODEL;
  // The model usually comes from configuration, so check it at runtime too.
  if (!isGeminiImageModel(model)) throw new Error(`Unknown Gemini image model "${String(model)}"`);
  const facts = GEMINI_IMAGE_MODELS[model];
  // No retryOptions: the SDK then makes exactly one attempt, and the job
  // system (which owns retries, budgets and backoff) decides what happens next.
  const client = new GoogleGenAI({
    apiKey: options.apiKey,
    ...(options.baseUrl && { httpOptions: { baseUrl: options.baseUrl } }),
  });
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const capabilities: ProviderCapabilities = {
    generate: true,
    editWithReferences: true,
    maxReferenceImages: facts.maxReferenceImages,
    mask: false,
    transparentBackground: false,
    sizes: { fixed: Object.keys(facts.sizes), auto: true },
    // Gemini answers PNG; jpeg and webp are transcoded locally.
    formats: ["png", "jpeg", "webp"],
    // There is no quality knob: "auto" is the only honest value.
    qualities: ["auto"],
    // Image models return one candidate per call.
    maxImagesPerCall: 1,
    onModel: true,
    generativeAi: true,
    // Far below Gemini's input-token window; long prompts only dilute the instruction.
    maxPromptChars: 32_000,
    deterministicSeed: false,
  };

  return {
    id: GEMINI_PROVIDER_ID,
    model: facts.id,
    capabilities,
    price: facts.price,

    estimateCostMicros(request) {
      return estimateCostMicros(facts, request);
    },

    async generate(request) {
      validate(request, facts, capabilities);
      let response: GenerateContentResponse;
      try {
        response = await client.models.generateContent({
          model: facts.id,
          contents: [{ role: "user", parts: toParts(request) }],
          config: toConfig(request, facts, request.timeoutMs ?? defaultTimeoutMs),
        });
      } catch (error) {
        throw toProviderError(error);
      }
      return toResult(response, request, facts);
    },
  };
}

function invalid(message: string): ProviderError {
  return new ProviderError("invalid_request", message, { provider: GEMINI_PROVIDER_ID });
}

function validate(request: GenerationRequest, facts: GeminiModelFacts, capabilities: ProviderCapabilities) {
  if (request.mask) throw invalid("Gemini does not take an inpainting mask; describe the change in the prompt");
  if (request.prompt.trim().length === 0) throw invalid("The prompt is empty");
  if (request.prompt.length > MAX_PROMPT_CHARS) throw invalid(`The prompt exceeds ${MAX_PROMPT_CHARS} characters`);
  if (request.n !== 1) throw invalid(`${facts.id} makes one image per call; got n=${request.n}`);
  if (request.size !== "auto" && !facts.sizes[request.size]) {
    throw invalid(`${facts.id}: size "${request.size}" is not supported; use one of ${capabilities.sizes.fixed.join(", ")} or auto`);
  }
  if (!capabilities.qualities.includes(request.quality)) {
    throw invalid(`${facts.id} has no quality setting; use "auto" (got "${request.quality}")`);
  }
  if (request.background === "transparent") throw invalid(`${facts.id} cannot render transparent backgrounds`);
  if (!capabilities.formats.includes(request.outputFormat)) throw invalid(`Unsupported output format "${request.outputFormat}"`);
  if (request.outputCompression !== undefined) {
    if (request.outputFormat === "png") throw invalid("output compression applies only to jpeg and webp");
    if (!Number.isInteger(request.outputCompression) || request.outputCompression < 0 || request.outputCompression > 100) {
      throw invalid("output compression must be an integer from 0 to 100");
    }
  }
  if (request.references.length > facts.maxReferenceImages) {
    throw invalid(`${facts.id} takes at most ${facts.maxReferenceImages} reference images`);
  }
  for (const reference of request.references) {
    if (!ACCEPTED_REFERENCE_TYPES.has(reference.mimeType)) {
      throw invalid(`Reference "${reference.filename}" is ${reference.mimeType}; use png, jpeg or webp`);
    }
  }
}

/** References first, product photo leading, then the instruction — Google's multi-image layout. */
function toParts(request: GenerationRequest): Part[] {
  return [
    ...request.references.map((reference) => ({
      inlineData: { mimeType: reference.mimeType, data: reference.data.toString("base64") },
    })),
    { text: request.prompt },
  ];
}

/**
 * The Gemini API has no end-user identifier field, so the safety identifier
 * is not sent (and nothing else identifying the shop is either).
 */
function toConfig(request: GenerationRequest, facts: GeminiModelFacts, timeoutMs: number): GenerateContentConfig {
  const size = request.size === "auto" ? undefined : facts.sizes[request.size];
  return {
    responseModalities: ["IMAGE"],
    seed: request.seed,
    ...(size && { imageConfig: { aspectRatio: size.aspectRatio, ...(size.tier && { imageSize: size.tier }) } }),
    ...(request.moderation === "low" && { safetySettings: LOW_MODERATION_SETTINGS }),
    httpOptions: { timeout: timeoutMs },
    ...(request.signal && { abortSignal: request.signal }),
  };
}

function blockedCategories(ratings: SafetyRating[] | undefined): string[] | undefined {
  const categories = (ratings ?? []).filter((r) => r.blocked && r.category).map((r) => String(r.category));
  return categories.length > 0 ? categories : undefined;
}

const MIME_FORMATS: Record<string, ImageFormat> = { "image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp" };

async function toResult(
  response: GenerateContentResponse,
  request: GenerationRequest,
  facts: GeminiModelFacts,
): Promise<GenerationResult> {
  const blockReason = response.promptFeedback?.blockReason;
  if (blockReason) {
    throw new ProviderError(
      "moderation_blocked",
      `Gemini blocked the prompt (${blockReason})${response.promptFeedback?.blockReasonMessage ? `: ${response.promptFeedback.blockReasonMessage}` : ""}`,
      {
        provider: GEMINI_PROVIDER_ID,
        moderation: { stage: "input", categories: blockedCategories(response.promptFeedback?.safetyRatings) },
      },
    );
  }
  const candidate = response.candidates?.[0];
  const finishReason = candidate?.finishReason;
  if (finishReason && SAFETY_FINISH_REASONS.has(finishReason)) {
    throw new ProviderError("moderation_blocked", `Gemini stopped the image for safety (${finishReason})`, {
      provider: GEMINI_PROVIDER_ID,
      moderation: { stage: "output", categories: blockedCategories(candidate?.safetyRatings) },
    });
  }
  const inline = (candidate?.content?.parts ?? []).flatMap((part) =>
    part.inlineData?.data && part.inlineData.mimeType?.startsWith("image/") ? [part.inlineData] : [],
  );
  if (inline.length === 0) {
    // The model sometimes answers in words instead of pixels; a new sample usually works.
    const said = (candidate?.content?.parts ?? []).map((part) => part.text ?? "").join(" ").trim();
    throw new ProviderError(
      "transient",
      `Gemini returned no image (finish reason ${finishReason ?? "none"})${said ? `: ${said.slice(0, 200)}` : ""}`,
      { provider: GEMINI_PROVIDER_ID },
    );
  }

  const images = await Promise.all(
    inline.map(async ({ data, mimeType }): Promise<GeneratedImage> => {
      const original = Buffer.from(data ?? "", "base64");
      return encodeAs(original, MIME_FORMATS[mimeType ?? ""], request);
    }),
  );
  const usage = toUsage(response.usageMetadata);
  return {
    images,
    usage,
    // Gemini always reports usage on success; should it ever be missing we
    // book the estimate, since recording nothing would under-count spend.
    costMicros: usage ? costFromUsageMicros(facts.price, usage) : estimateCostMicros(facts, request),
    model: facts.id,
    provider: GEMINI_PROVIDER_ID,
  };
}

async function encodeAs(original: Buffer, returned: ImageFormat | undefined, request: GenerationRequest): Promise<GeneratedImage> {
  try {
    const target = request.outputFormat;
    const quality = request.outputCompression ?? 100;
    const data =
      returned === target
        ? original
        : target === "png"
          ? await sharp(original).png().toBuffer()
          : target === "jpeg"
            ? await sharp(original).flatten({ background: "#ffffff" }).jpeg({ quality: Math.max(1, quality) }).toBuffer()
            : await sharp(original).webp({ quality: Math.max(1, quality) }).toBuffer();
    const meta = await sharp(data).metadata();
    return { data, format: target, width: meta.width, height: meta.height };
  } catch (cause) {
    throw new ProviderError("transient", "Gemini returned an image that does not decode", { provider: GEMINI_PROVIDER_ID, cause });
  }
}

function tokensByModality(details: { modality?: MediaModality; tokenCount?: number }[] | undefined, modality: MediaModality) {
  return (details ?? []).filter((d) => d.modality === modality).reduce((sum, d) => sum + (d.tokenCount ?? 0), 0);
}

/**
 * Splits Gemini's usage by modality. Thinking tokens are billed as text
 * output. Without per-modality details, prompt tokens count as text and
 * candidate tokens as image (the only output modality we ask for).
 */
function toUsage(metadata: GenerateContentResponseUsageMetadata | undefined): Usage | null {
  if (!metadata) return null;
  const prompt = metadata.promptTokensDetails;
  const output = metadata.candidatesTokensDetails;
  const thoughts = metadata.thoughtsTokenCount ?? 0;
  return {
    inputTextTokens: prompt ? tokensByModality(prompt, MediaModality.TEXT) : (metadata.promptTokenCount ?? 0),
    inputImageTokens: prompt ? tokensByModality(prompt, MediaModality.IMAGE) : 0,
    outputImageTokens: output ? tokensByModality(output, MediaModality.IMAGE) : (metadata.candidatesTokenCount ?? 0),
    outputTextTokens: (output ? tokensByModality(output, MediaModality.TEXT) : 0) + thoughts,
    cachedInputTokens: metadata.cachedContentTokenCount ?? 0,
  };
}
