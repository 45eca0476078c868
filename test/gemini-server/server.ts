import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { renderImage } from "../openai-server/render";

/**
 * A local stand-in for the Gemini API's `POST /v1beta/models/{model}:generateContent`
 * with image output. It speaks the real JSON shapes (camelCase, as the API
 * and SDK use): contents[].parts[] with text and inlineData in, candidates
 * with inlineData PNGs, finishReason, promptFeedback and per-modality
 * usageMetadata out, and `{"error":{"code","message","status","details"}}`
 * on failure. It validates like the API, records requests, and can be told
 * what to do with the next requests.
 *
 * Its model rules are written from Google's documentation independently of
 * the provider's own table.
 */

export const FAKE_GEMINI_API_KEY = "AIza-test-local-gemini";

export interface RecordedGeminiRequest {
  method: string;
  path: string;
  model: string | null;
  headers: Record<string, string>;
  body: GeminiRequestBody | null;
  answer?: { status: number; body: unknown };
}

export interface GeminiPart {
  text?: string;
  inlineData?: { mimeType?: string; data?: string };
}

export interface GeminiRequestBody {
  contents?: { role?: string; parts?: GeminiPart[] }[];
  generationConfig?: {
    responseModalities?: string[];
    candidateCount?: number;
    seed?: number;
    imageConfig?: { aspectRatio?: string; imageSize?: string };
    [key: string]: unknown;
  };
  safetySettings?: { category: string; threshold: string }[];
  [key: string]: unknown;
}

export interface ScriptedGeminiAnswer {
  /** Wait this long before answering (the normal answer unless `status` is set). */
  delayMs?: number;
  status?: number;
  body?: unknown;
}

export interface FakeGeminiServer {
  /** Pass as the SDK's `httpOptions.baseUrl`. */
  baseUrl: string;
  apiKey: string;
  requests: RecordedGeminiRequest[];
  enqueue(...answers: ScriptedGeminiAnswer[]): void;
  close(): Promise<void>;
}

function errorBody(code: number, status: string, message: string, details: unknown[] = []) {
  return { error: { code, message, status, ...(details.length > 0 && { details }) } };
}

const ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";

/** Ready-made answers matching what the API sends in each situation. */
export const scriptedGemini = {
  rateLimited(retryDelay?: string): ScriptedGeminiAnswer {
    return {
      status: 429,
      body: errorBody(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", [
        {
          "@type": "type.googleapis.com/google.rpc.QuotaFailure",
          violations: [
            {
              quotaMetric: "generativelanguage.googleapis.com/generate_content_paid_tier_requests",
              quotaId: "GenerateRequestsPerMinutePerProjectPerModel",
              quotaDimensions: { location: "global", model: "gemini-2.5-flash-image" },
              quotaValue: "10",
            },
          ],
        },
        { "@type": "type.googleapis.com/google.rpc.Help", links: [{ description: "Learn more about Gemini API quotas", url: "https://ai.google.dev/gemini-api/docs/rate-limits" }] },
        ...(retryDelay ? [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay }] : []),
      ]),
    };
  },
  /** 200 with no candidates: the prompt itself was refused. */
  blockedPrompt(blockReason: string, blockedCategories: string[] = []): ScriptedGeminiAnswer {
    return {
      status: 200,
      body: {
        promptFeedback: {
          blockReason,
          ...(blockedCategories.length > 0 && {
            safetyRatings: blockedCategories.map((category) => ({ category, probability: "HIGH", blocked: true })),
          }),
        },
        usageMetadata: { promptTokenCount: 12, totalTokenCount: 12, promptTokensDetails: [{ modality: "TEXT", tokenCount: 12 }] },
        modelVersion: "gemini-2.5-flash-image",
      },
    };
  },
  /** 200 with a candidate stopped for safety and no image. */
  safetyStop(finishReason: string, blockedCategories: string[] = []): ScriptedGeminiAnswer {
    return {
      status: 200,
      body: {
        candidates: [
          {
            content: { role: "model" },
            finishReason,
            index: 0,
            ...(blockedCategories.length > 0 && {
              safetyRatings: blockedCategories.map((category) => ({ category, probability: "HIGH", blocked: true })),
            }),
          },
        ],
        usageMetadata: { promptTokenCount: 12, totalTokenCount: 12, promptTokensDetails: [{ modality: "TEXT", tokenCount: 12 }] },
        modelVersion: "gemini-2.5-flash-image",
      },
    };
  },
  /** The model answered in words only. */
  textOnly(text: string): ScriptedGeminiAnswer {
    return {
      status: 200,
      body: {
        candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason: "STOP", index: 0 }],
        usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 20, totalTokenCount: 32 },
      },
    };
  },
  invalidArgument(message = "Request contains an invalid argument."): ScriptedGeminiAnswer {
    return { status: 400, body: errorBody(400, "INVALID_ARGUMENT", message) };
  },
  permissionDenied(): ScriptedGeminiAnswer {
    return { status: 403, body: errorBody(403, "PERMISSION_DENIED", "Your API key was reported as leaked. Please use another API key.") };
  },
  serverError(status: 500 | 503 = 500): ScriptedGeminiAnswer {
    return status === 503
      ? { status, body: errorBody(503, "UNAVAILABLE", "The model is overloaded. Please try again later.") }
      : { status, body: errorBody(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting") };
  },
  slow(delayMs: number): ScriptedGeminiAnswer {
    return { delayMs };
  },
};

interface ModelRules {
  /** aspect ratio → [1K, 2K, 4K] sizes; flash models have only the first. */
  sizes: Record<string, string[]>;
  imageSize: boolean;
  outputTokens: (tier: string) => number;
  inputTokensPerImage: (width: number, height: number) => number;
  thoughtsTokens: number;
  maxImages: number;
}

const FLASH_SIZES: Record<string, string[]> = {
  "1:1": ["1024x1024"],
  "2:3": ["832x1248"],
  "3:2": ["1248x832"],
  "3:4": ["864x1184"],
  "4:3": ["1184x864"],
  "4:5": ["896x1152"],
  "5:4": ["1152x896"],
  "9:16": ["768x1344"],
  "16:9": ["1344x768"],
  "21:9": ["1536x672"],
};

const PRO_SIZES: Record<string, string[]> = {
  "1:1": ["1024x1024", "2048x2048", "4096x4096"],
  "2:3": ["848x1264", "1696x2528", "3392x5056"],
  "3:2": ["1264x848", "2528x1696", "5056x3392"],
  "3:4": ["896x1200", "1792x2400", "3584x4800"],
  "4:3": ["1200x896", "2400x1792", "4800x3584"],
  "4:5": ["928x1152", "1856x2304", "3712x4608"],
  "5:4": ["1152x928", "2304x1856", "4608x3712"],
  "9:16": ["768x1376", "1536x2752", "3072x5504"],
  "16:9": ["1376x768", "2752x1536", "5504x3072"],
  "21:9": ["1584x672", "3168x1344", "6336x2688"],
};

/** Gemini 2.x bills images ≤384px at 258 tokens, larger ones at 258 per 768px tile. */
function tiledImageTokens(width: number, height: number): number {
  if (width <= 384 && height <= 384) return 258;
  return Math.ceil(width / 768) * Math.ceil(height / 768) * 258;
}

const MODELS: Record<string, ModelRules> = {
  "gemini-2.5-flash-image": {
    sizes: FLASH_SIZES,
    imageSize: false,
    outputTokens: () => 1290,
    inputTokensPerImage: tiledImageTokens,
    thoughtsTokens: 0,
    maxImages: 16,
  },
  "gemini-3-pro-image-preview": {
    sizes: PRO_SIZES,
    imageSize: true,
    outputTokens: (tier) => (tier === "4K" ? 2000 : 1120),
    inputTokensPerImage: () => 560,
    thoughtsTokens: 180,
    maxImages: 14,
  },
};

const INPUT_MIME_TYPES = ["image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"];
const MODALITIES = ["TEXT", "IMAGE"];

class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super("api failure");
  }
}

function invalidArgument(message: string): ApiFailure {
  return new ApiFailure(400, errorBody(400, "INVALID_ARGUMENT", message));
}

function closestAspect(width: number, height: number, sizes: Record<string, string[]>): string {
  const ratio = width / height;
  let best = "1:1";
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const aspect of Object.keys(sizes)) {
    const [w, h] = aspect.split(":").map(Number) as [number, number];
    const distance = Math.abs(Math.log(ratio / (w / h)));
    if (distance < bestDistance) {
      best = aspect;
      bestDistance = distance;
    }
  }
  return best;
}

async function answerGenerate(model: string, body: GeminiRequestBody): Promise<unknown> {
  const rules = MODELS[model];
  if (!rules) {
    throw new ApiFailure(
      404,
      errorBody(404, "NOT_FOUND", `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`),
    );
  }
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) throw invalidArgument("* GenerateContentRequest.contents: contents is not specified");
  const parts = contents.flatMap((c) => c.parts ?? []);
  if (parts.length === 0) throw invalidArgument("* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.");

  const texts: string[] = [];
  const images: Buffer[] = [];
  for (const [index, part] of parts.entries()) {
    if (typeof part.text === "string") texts.push(part.text);
    else if (part.inlineData) {
      const { mimeType, data } = part.inlineData;
      if (!mimeType || !INPUT_MIME_TYPES.includes(mimeType)) {
        throw invalidArgument(`Unsupported MIME type: ${mimeType ?? "(none)"}`);
      }
      if (typeof data !== "string" || data.length === 0) throw invalidArgument(`* GenerateContentRequest.contents[0].parts[${index}].inline_data.data: required field`);
      images.push(Buffer.from(data, "base64"));
    } else {
      throw invalidArgument(`* GenerateContentRequest.contents[0].parts[${index}].data: required oneof field 'data' must have one initialized field`);
    }
  }
  if (images.length > rules.maxImages) throw invalidArgument(`Too many images in the request: ${images.length}; the maximum is ${rules.maxImages}.`);

  const config = body.generationConfig ?? {};
  for (const modality of config.responseModalities ?? []) {
    if (!MODALITIES.includes(modality)) throw invalidArgument(`Invalid value at 'generation_config.response_modalities' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality), "${modality}"`);
  }
  if (config.responseModalities && !config.responseModalities.includes("IMAGE")) {
    throw invalidArgument("Model only supports text and image output; request IMAGE in response_modalities to get an image.");
  }
  if ((config.candidateCount ?? 1) !== 1) throw invalidArgument(`Multiple candidates is not enabled for models/${model}`);
  const aspectRatio = config.imageConfig?.aspectRatio;
  if (aspectRatio !== undefined && !rules.sizes[aspectRatio]) throw invalidArgument(`Unsupported aspect ratio: ${aspectRatio}`);
  const imageSize = config.imageConfig?.imageSize;
  if (imageSize !== undefined && (!rules.imageSize || !["1K", "2K", "4K"].includes(imageSize))) {
    throw invalidArgument(`Unsupported image size: ${imageSize}`);
  }

  const inputMeta = await Promise.all(
    images.map((image) =>
      sharp(image)
        .metadata()
        .catch(() => {
          throw invalidArgument("Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");
        }),
    ),
  );
  const first = inputMeta[0];
  const aspect = aspectRatio ?? (first ? closestAspect(first.width, first.height, rules.sizes) : "1:1");
  const tier = imageSize ?? "1K";
  const size = rules.sizes[aspect]?.[["1K", "2K", "4K"].indexOf(tier)] ?? "1024x1024";
  const [width, height] = size.split("x").map(Number) as [number, number];
  const prompt = texts.join("\n");
  const png = await renderImage({ width, height, seedText: `${prompt}#${config.seed ?? ""}`, format: "png", overlay: images[0] });

  const textTokens = Math.ceil(prompt.length / 4);
  const imageTokens = inputMeta.reduce((sum, m) => sum + rules.inputTokensPerImage(m.width, m.height), 0);
  const outputTokens = rules.outputTokens(tier);
  return {
    candidates: [
      {
        content: { role: "model", parts: [{ inlineData: { mimeType: "image/png", data: png.toString("base64") } }] },
        finishReason: "STOP",
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: textTokens + imageTokens,
      candidatesTokenCount: outputTokens,
      totalTokenCount: textTokens + imageTokens + outputTokens + rules.thoughtsTokens,
      ...(rules.thoughtsTokens > 0 && { thoughtsTokenCount: rules.thoughtsTokens }),
      promptTokensDetails: [
        { modality: "TEXT", tokenCount: textTokens },
        ...(imageTokens > 0 ? [{ modality: "IMAGE", tokenCount: imageTokens }] : []),
      ],
      candidatesTokensDetails: [{ modality: "IMAGE", tokenCount: outputTokens }],
    },
    modelVersion: model,
    responseId: `resp-${Math.random().toString(36).slice(2)}`,
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<GeminiRequestBody | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as GeminiRequestBody;
  } catch {
    return null;
  }
}

const GENERATE_PATH = /^\/v1beta\/models\/([^/:]+):generateContent$/;

export async function startGeminiServer(options: { apiKey?: string } = {}): Promise<FakeGeminiServer> {
  const apiKey = options.apiKey ?? FAKE_GEMINI_API_KEY;
  const requests: RecordedGeminiRequest[] = [];
  const queue: ScriptedGeminiAnswer[] = [];

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    const model = GENERATE_PATH.exec(path)?.[1] ?? null;
    const record: RecordedGeminiRequest = {
      method: req.method ?? "GET",
      path,
      model,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")])),
      body: await readJson(req),
    };
    requests.push(record);
    const scripted = queue.shift();
    let status = 200;
    let body: unknown;
    try {
      if (scripted?.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
      if (scripted?.status !== undefined) {
        status = scripted.status;
        body = scripted.body;
      } else {
        const key = req.headers["x-goog-api-key"];
        if (!key) {
          throw new ApiFailure(
            403,
            errorBody(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."),
          );
        }
        if (key !== apiKey) {
          throw new ApiFailure(
            400,
            errorBody(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
              { "@type": ERROR_INFO, reason: "API_KEY_INVALID", domain: "googleapis.com", metadata: { service: "generativelanguage.googleapis.com" } },
              { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US", message: "API key not valid. Please pass a valid API key." },
            ]),
          );
        }
        if (req.method !== "POST" || !model) {
          throw new ApiFailure(404, errorBody(404, "NOT_FOUND", `The requested URL ${path} was not found on this server.`));
        }
        if (!record.body) throw invalidArgument("Invalid JSON payload received.");
        body = await answerGenerate(model, record.body);
      }
    } catch (error) {
      if (error instanceof ApiFailure) {
        status = error.status;
        body = error.body;
      } else {
        status = 500;
        body = errorBody(500, "INTERNAL", `Fake server failure: ${String(error)}`);
      }
    }
    record.answer = { status, body };
    send(res, status, body);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    enqueue(...answers) {
      queue.push(...answers);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
