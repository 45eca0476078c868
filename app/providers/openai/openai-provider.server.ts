import OpenAI, { toFile } from "openai";
import type { ImageEditParamsNonStreaming, ImageGenerateParamsNonStreaming, ImagesResponse } from "openai/resources/images";
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
import { OPENAI_PROVIDER_ID, toProviderError } from "./errors.server";
import {
  DEFAULT_OPENAI_IMAGE_MODEL,
  isOpenAiImageModel,
  lifecycleState,
  OPENAI_IMAGE_MODELS,
  type OpenAiImageModelId,
  type OpenAiModelFacts,
} from "./models";
import { sizeProblem } from "./sizes";

export interface OpenAiProviderOptions {
  apiKey: string;
  baseURL?: string;
  /** Defaults to the current GA model. */
  model?: OpenAiImageModelId;
  clock?: () => Date;
  /** Default per-request deadline; a request's own `timeoutMs` wins. */
  timeoutMs?: number;
  /**
   * SDK-level retries. Defaults to 0: the job system owns retries (it knows
   * the budget, honours retry-after across workers and records each attempt).
   * SDK retries underneath it would multiply attempts, hide the 429's wait
   * from the job system, and re-bill a generation whose response was lost.
   */
  maxRetries?: number;
}

export interface OpenAiImageProvider extends ImageProvider {
  /** A message when the model is close to its shutdown date, else null. */
  lifecycleWarning(): string | null;
}

/** High-quality large images routinely take over a minute. */
const DEFAULT_TIMEOUT_MS = 180_000;
const MAX_PROMPT_CHARS = 32_000;
const ACCEPTED_REFERENCE_TYPES = new Set(["image/png", "image/jpeg", "image/webp"]);

export function createOpenAiProvider(options: OpenAiProviderOptions): OpenAiImageProvider {
  const model = options.model ?? DEFAULT_OPENAI_IMAGE_MODEL;
  // The model usually comes from configuration, so check it at runtime too.
  if (!isOpenAiImageModel(model)) throw new Error(`Unknown OpenAI image model "${String(model)}"`);
  const facts = OPENAI_IMAGE_MODELS[model];
  const clock = options.clock ?? (() => new Date());
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    maxRetries: options.maxRetries ?? 0,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });

  const capabilities: ProviderCapabilities = {
    generate: true,
    editWithReferences: true,
    maxReferenceImages: facts.maxReferenceImages,
    mask: true,
    transparentBackground: facts.transparentBackground,
    sizes: facts.sizes,
    formats: ["png", "jpeg", "webp"],
    qualities: ["low", "medium", "high", "auto"],
    maxImagesPerCall: facts.maxImagesPerCall,
    onModel: true,
    generativeAi: true,
    // The Images API accepts prompts up to 32,000 characters for GPT image models.
    maxPromptChars: 32_000,
    deterministicSeed: false,
  };

  return {
    id: OPENAI_PROVIDER_ID,
    model: facts.id,
    capabilities,
    price: facts.price,

    lifecycleWarning() {
      const state = lifecycleState(facts, clock());
      return state.state === "available" ? null : state.message;
    },

    estimateCostMicros(request) {
      return estimateCostMicros(facts, request);
    },

    async generate(request) {
      const lifecycle = lifecycleState(facts, clock());
      if (lifecycle.state === "retired") throw invalid(lifecycle.message);
      await validate(request, facts, capabilities);

      const requestOptions = {
        ...(request.timeoutMs !== undefined && { timeout: request.timeoutMs }),
        ...(request.signal && { signal: request.signal }),
      };
      let response: ImagesResponse;
      try {
        response =
          request.references.length === 0
            ? await client.images.generate(generateParams(request, facts), requestOptions)
            : await client.images.edit(await editParams(request, facts), requestOptions);
      } catch (error) {
        throw toProviderError(error, clock());
      }
      return toResult(response, request, facts);
    },
  };
}

function invalid(message: string): ProviderError {
  return new ProviderError("invalid_request", message, { provider: OPENAI_PROVIDER_ID });
}

/** Refuse locally what the API would refuse, so we never pay a round trip for it. */
async function validate(request: GenerationRequest, facts: OpenAiModelFacts, capabilities: ProviderCapabilities) {
  if (request.prompt.trim().length === 0) throw invalid("The prompt is empty");
  if (request.prompt.length > MAX_PROMPT_CHARS) throw invalid(`The prompt exceeds ${MAX_PROMPT_CHARS} characters`);
  if (!Number.isInteger(request.n) || request.n < 1 || request.n > facts.maxImagesPerCall) {
    throw invalid(`n must be an integer from 1 to ${facts.maxImagesPerCall}, got ${request.n}`);
  }
  const sizeError = sizeProblem(facts.sizes, request.size);
  if (sizeError) throw invalid(`${facts.id}: ${sizeError}`);
  if (!capabilities.qualities.includes(request.quality)) throw invalid(`Unsupported quality "${request.quality}"`);
  if (!capabilities.formats.includes(request.outputFormat)) throw invalid(`Unsupported output format "${request.outputFormat}"`);
  if (request.background === "transparent") {
    if (!facts.transparentBackground) throw invalid(`${facts.id} does not support transparent backgrounds`);
    if (request.outputFormat === "jpeg") throw invalid("A transparent background needs png or webp output");
  }
  if (request.outputCompression !== undefined) {
    if (request.outputFormat === "png") throw invalid("output compression applies only to jpeg and webp");
    if (!Number.isInteger(request.outputCompression) || request.outputCompression < 0 || request.outputCompression > 100) {
      throw invalid("output compression must be an integer from 0 to 100");
    }
  }
  if (request.references.length > facts.maxReferenceImages) {
    throw invalid(`At most ${facts.maxReferenceImages} reference images are accepted`);
  }
  for (const reference of request.references) {
    if (!ACCEPTED_REFERENCE_TYPES.has(reference.mimeType)) {
      throw invalid(`Reference "${reference.filename}" is ${reference.mimeType}; use png, jpeg or webp`);
    }
  }
  if (request.mask) await validateMask(request.mask, request);
}

async function validateMask(mask: Buffer, request: GenerationRequest) {
  const first = request.references[0];
  if (!first) throw invalid("A mask needs a reference image to apply to");
  const [maskMeta, imageMeta] = await Promise.all([
    sharp(mask).metadata().catch(() => null),
    sharp(first.data).metadata().catch(() => null),
  ]);
  if (maskMeta?.format !== "png" || !maskMeta.hasAlpha) throw invalid("The mask must be a PNG with an alpha channel");
  if (!imageMeta) throw invalid(`Reference "${first.filename}" is not a readable image`);
  if (maskMeta.width !== imageMeta.width || maskMeta.height !== imageMeta.height) {
    throw invalid(
      `The mask is ${maskMeta.width}x${maskMeta.height} but the first reference is ${imageMeta.width}x${imageMeta.height}`,
    );
  }
}

/**
 * Fields shared by generate and edit. `response_format` is never sent: GPT
 * image models reject it and always answer base64. `safety_identifier`
 * replaces the deprecated `user`, so only the former is sent.
 */
function commonParams(request: GenerationRequest, facts: OpenAiModelFacts) {
  return {
    model: facts.id,
    prompt: request.prompt,
    n: request.n,
    size: request.size,
    quality: request.quality,
    background: request.background,
    output_format: request.outputFormat,
    ...(request.outputCompression !== undefined && { output_compression: request.outputCompression }),
    ...(request.safetyIdentifier && { safety_identifier: request.safetyIdentifier }),
  };
}

function generateParams(request: GenerationRequest, facts: OpenAiModelFacts): ImageGenerateParamsNonStreaming {
  return {
    ...commonParams(request, facts),
    ...(request.moderation && { moderation: request.moderation }),
  };
}

/**
 * Edits take no `moderation` field: the API applies its default level, which
 * is the stricter one, so dropping a "low" request errs on the safe side.
 * Files are buffered (`toFile` on a Buffer) so a retried request can resend
 * them; an array always goes out as repeated `image[]` parts in order.
 */
async function editParams(request: GenerationRequest, facts: OpenAiModelFacts): Promise<ImageEditParamsNonStreaming> {
  const images = await Promise.all(
    request.references.map((reference) => toFile(reference.data, reference.filename, { type: reference.mimeType })),
  );
  return {
    ...commonParams(request, facts),
    image: images,
    ...(request.mask && { mask: await toFile(request.mask, "mask.png", { type: "image/png" }) }),
    ...(facts.inputFidelity && { input_fidelity: facts.inputFidelity }),
  };
}

const RESPONSE_FORMATS = new Set<string>(["png", "jpeg", "webp"]);

async function toResult(
  response: ImagesResponse,
  request: GenerationRequest,
  facts: OpenAiModelFacts,
): Promise<GenerationResult> {
  const encoded = (response.data ?? []).flatMap((image) => (image.b64_json ? [image] : []));
  if (encoded.length === 0) {
    throw new ProviderError("transient", "OpenAI answered without any image data", { provider: OPENAI_PROVIDER_ID });
  }
  const format: ImageFormat =
    response.output_format && RESPONSE_FORMATS.has(response.output_format)
      ? (response.output_format as ImageFormat)
      : request.outputFormat;

  const images = await Promise.all(
    encoded.map(async (image): Promise<GeneratedImage> => {
      const data = Buffer.from(image.b64_json ?? "", "base64");
      const meta = await sharp(data)
        .metadata()
        .catch((cause: unknown) => {
          throw new ProviderError("transient", "OpenAI returned an image that does not decode", {
            provider: OPENAI_PROVIDER_ID,
            cause,
          });
        });
      return {
        data,
        format,
        width: meta.width,
        height: meta.height,
        ...(image.revised_prompt && { revisedPrompt: image.revised_prompt }),
      };
    }),
  );

  const usage = toUsage(response.usage);
  return {
    images,
    usage,
    // GPT image models always report usage. Should it ever be missing we
    // book the estimate: recording nothing would under-count spend.
    costMicros: usage ? costFromUsageMicros(facts.price, usage) : estimateCostMicros(facts, request),
    model: facts.id,
    provider: OPENAI_PROVIDER_ID,
  };
}

/**
 * `output_tokens` covers image and (for newer models) text output; the split
 * is in `output_tokens_details` when present, otherwise it is all image.
 * The Images API reports no cached input tokens.
 */
function toUsage(usage: ImagesResponse["usage"]): Usage | null {
  if (!usage) return null;
  const outputText = usage.output_tokens_details?.text_tokens ?? 0;
  return {
    inputTextTokens: usage.input_tokens_details.text_tokens,
    inputImageTokens: usage.input_tokens_details.image_tokens,
    outputImageTokens: usage.output_tokens_details?.image_tokens ?? usage.output_tokens - outputText,
    outputTextTokens: outputText,
    cachedInputTokens: 0,
  };
}
