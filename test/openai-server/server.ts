import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { renderImage } from "./render";

/**
 * A local stand-in for the OpenAI Images API (`/v1/images/generations` and
 * `/v1/images/edits`) speaking the real wire format: JSON in for generations,
 * multipart with repeated `image[]` parts for edits, the real response and
 * error shapes out. It validates requests the way the API does, renders real
 * images with sharp, records every request, and can be told what to do with
 * the next requests (errors, delays).
 *
 * Its model rules are written from the API reference independently of the
 * provider's own table, so a provider bug is not mirrored here.
 */

export const FAKE_OPENAI_API_KEY = "sk-test-local-images";

export interface RecordedFile {
  field: string;
  filename: string;
  type: string;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  contentType: "json" | "multipart" | "other";
  /** JSON body, or the multipart text fields (numbers arrive as strings). */
  fields: Record<string, unknown>;
  /** Multipart file parts in wire order. */
  files: RecordedFile[];
  /** Every multipart part name in wire order, text and file. */
  partNames: string[];
  answer?: { status: number; body: unknown };
  /** Date.now() when the request arrived. */
  receivedAt: number;
  /** The whole body arrived and parsed; a client that died mid-upload leaves false (the API would not run or bill that call). */
  bodyReceived: boolean;
}

export interface ScriptedAnswer {
  /** Wait this long before answering (the answer is then the normal one unless `status` is set). */
  delayMs?: number;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeOpenAiServer {
  /** Pass as the SDK's `baseURL`. */
  baseURL: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Queue answers for the next requests, first in first out. */
  enqueue(...answers: ScriptedAnswer[]): void;
  /**
   * Answer the next requests `match` picks (e.g. by the product its prompt
   * names) with `answers` in turn, ahead of the enqueued ones; once they are
   * used up such requests are answered as any other.
   */
  answerWhen(match: (request: RecordedRequest) => boolean, ...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

function errorBody(message: string, type: string, param: string | null, code: string | null) {
  return { error: { message, type, param, code } };
}

/** Ready-made answers matching what the API sends in each situation. */
export const scripted = {
  rateLimited(headers: { retryAfterMs?: number; retryAfterSeconds?: number } = {}): ScriptedAnswer {
    return {
      status: 429,
      headers: {
        ...(headers.retryAfterMs !== undefined && { "retry-after-ms": String(headers.retryAfterMs) }),
        ...(headers.retryAfterSeconds !== undefined && { "retry-after": String(headers.retryAfterSeconds) }),
        "x-ratelimit-limit-requests": "5",
        "x-ratelimit-remaining-requests": "0",
      },
      body: errorBody(
        "Rate limit reached for gpt-image in organization org-test on images per minute (IPM): Limit 5, Used 5, Requested 1. Please try again later.",
        "requests",
        null,
        "rate_limit_exceeded",
      ),
    };
  },
  insufficientQuota(): ScriptedAnswer {
    return {
      status: 429,
      body: errorBody(
        "You exceeded your current quota, please check your plan and billing details.",
        "insufficient_quota",
        null,
        "insufficient_quota",
      ),
    };
  },
  moderationBlocked(categories: string[] = [], param: string | null = null): ScriptedAnswer {
    const suffix = categories.length > 0 ? ` safety_violations=[${categories.join(", ")}].` : "";
    return {
      status: 400,
      body: errorBody(
        `Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID.${suffix}`,
        "image_generation_user_error",
        param,
        "moderation_blocked",
      ),
    };
  },
  serverError(status: 500 | 502 | 503 = 500): ScriptedAnswer {
    return {
      status,
      body: errorBody(
        status === 503 ? "The server is overloaded or not ready yet." : "The server had an error while processing your request. Sorry about that!",
        "server_error",
        null,
        null,
      ),
    };
  },
  unauthorized(): ScriptedAnswer {
    return {
      status: 401,
      body: errorBody("Incorrect API key provided: sk-revok*****. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", null, "invalid_api_key"),
    };
  },
  slow(delayMs: number): ScriptedAnswer {
    return { delayMs };
  },
};

interface ModelRules {
  custom: boolean;
  inputFidelity: ("high" | "low")[];
  retired?: boolean;
  /** Newer models report image/text output split in `output_tokens_details`. */
  reportsOutputDetails: boolean;
}

const MODELS: Record<string, ModelRules> = {
  "gpt-image-2": { custom: true, inputFidelity: [], reportsOutputDetails: true },
  "gpt-image-1.5": { custom: false, inputFidelity: ["high", "low"], reportsOutputDetails: true },
  "gpt-image-1-mini": { custom: false, inputFidelity: ["low"], reportsOutputDetails: false },
  "gpt-image-1": { custom: false, inputFidelity: ["high", "low"], retired: true, reportsOutputDetails: false },
};

const STANDARD_SIZES = ["1024x1024", "1536x1024", "1024x1536"];
const QUALITIES = ["low", "medium", "high", "auto"];
const BACKGROUNDS = ["transparent", "opaque", "auto"];
const FORMATS = ["png", "jpeg", "webp"];
const COMMON_FIELDS = [
  "model",
  "prompt",
  "n",
  "size",
  "quality",
  "background",
  "output_format",
  "output_compression",
  "safety_identifier",
  "user",
  "stream",
  "partial_images",
];
const GENERATION_FIELDS = new Set([...COMMON_FIELDS, "moderation"]);
const EDIT_FIELDS = new Set([...COMMON_FIELDS, "input_fidelity", "image", "image[]", "mask"]);

/** gpt-image-1's published output-token table; other sizes scale by area. */
const OUTPUT_TOKENS: Record<string, Record<string, number>> = {
  low: { "1024x1024": 272, "1024x1536": 408, "1536x1024": 400 },
  medium: { "1024x1024": 1056, "1024x1536": 1584, "1536x1024": 1568 },
  high: { "1024x1024": 4160, "1024x1536": 6240, "1536x1024": 6208 },
};

class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super("api failure");
  }
}

function badRequest(message: string, param: string | null, code: string | null): ApiFailure {
  return new ApiFailure(400, errorBody(message, "invalid_request_error", param, code));
}

function validateCustomSize(size: string): { width: number; height: number } | null {
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) return null;
  const width = Number(match[1]);
  const height = Number(match[2]);
  const ratio = Math.max(width, height) / Math.min(width, height);
  if (width % 16 || height % 16 || ratio > 3 || Math.min(width, height) < 256 || width * height > 3840 * 2160 || Math.max(width, height) > 3840) {
    return null;
  }
  return { width, height };
}

function outputTokens(quality: string, size: string): number {
  const table = OUTPUT_TOKENS[quality] ?? OUTPUT_TOKENS.medium!;
  const known = table[size];
  if (known !== undefined) return known;
  const [w, h] = size.split("x").map(Number);
  return Math.ceil(((table["1024x1024"] ?? 0) * (w ?? 1024) * (h ?? 1024)) / (1024 * 1024));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseRequest(req: IncomingMessage, record: RecordedRequest): Promise<void> {
  const raw = await readBody(req);
  const contentType = req.headers["content-type"] ?? "";
  if (contentType.startsWith("application/json")) {
    record.contentType = "json";
    try {
      record.fields = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    } catch {
      throw badRequest("We could not parse the JSON body of your request.", null, null);
    }
    return;
  }
  if (contentType.startsWith("multipart/form-data")) {
    record.contentType = "multipart";
    const form = await new Request("http://local/", { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(raw) }).formData();
    for (const [name, value] of form.entries()) {
      record.partNames.push(name);
      if (typeof value === "string") {
        record.fields[name] = value;
      } else {
        record.files.push({ field: name, filename: value.name, type: value.type, data: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return;
  }
  record.contentType = "other";
  throw badRequest("Invalid Content-Type header; expected application/json or multipart/form-data.", null, null);
}

function integerField(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === "string" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number)) {
    throw badRequest(`Invalid type for '${param}': expected an integer, but got a string instead.`, param, "invalid_type");
  }
  return number;
}

function enumField(value: unknown, param: string, allowed: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw badRequest(
      `Invalid value: '${String(value)}'. Supported values are: ${allowed.map((a) => `'${a}'`).join(", ")}.`,
      param,
      "invalid_value",
    );
  }
  return value;
}

async function answerImages(record: RecordedRequest, endpoint: "generations" | "edits"): Promise<unknown> {
  const fields = record.fields;
  const allowed = endpoint === "generations" ? GENERATION_FIELDS : EDIT_FIELDS;
  for (const name of [...Object.keys(fields), ...record.files.map((f) => f.field)]) {
    if (!allowed.has(name)) throw badRequest(`Unknown parameter: '${name}'.`, name, "unknown_parameter");
  }

  const model = fields.model;
  if (typeof model !== "string") {
    throw badRequest("Missing required parameter: 'model'.", "model", "missing_required_parameter");
  }
  const rules = MODELS[model];
  if (!rules) {
    throw badRequest(`Invalid value: '${model}'. Supported values are: ${Object.keys(MODELS).filter((m) => !MODELS[m]?.retired).map((m) => `'${m}'`).join(", ")}.`, "model", "invalid_value");
  }
  if (rules.retired) {
    throw new ApiFailure(404, errorBody(`The model \`${model}\` does not exist or you do not have access to it.`, "invalid_request_error", null, "model_not_found"));
  }
  const prompt = fields.prompt;
  if (typeof prompt !== "string" || prompt.length === 0) {
    throw badRequest("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter");
  }
  if (prompt.length > 32000) throw badRequest("Invalid 'prompt': string too long. Expected a string with maximum length 32000.", "prompt", "string_above_max_length");

  const n = integerField(fields.n, "n") ?? 1;
  if (n < 1) throw badRequest(`Invalid 'n': integer below minimum value. Expected a value >= 1, but got ${n} instead.`, "n", "integer_below_min_value");
  if (n > 10) throw badRequest(`Invalid 'n': integer above maximum value. Expected a value <= 10, but got ${n} instead.`, "n", "integer_above_max_value");

  const quality = enumField(fields.quality, "quality", QUALITIES) ?? "auto";
  const background = enumField(fields.background, "background", BACKGROUNDS) ?? "auto";
  const outputFormat = (enumField(fields.output_format, "output_format", FORMATS) ?? "png") as "png" | "jpeg" | "webp";
  if (endpoint === "generations") enumField(fields.moderation, "moderation", ["low", "auto"]);
  const compression = integerField(fields.output_compression, "output_compression");
  if (compression !== undefined && (compression < 0 || compression > 100)) {
    throw badRequest("Invalid 'output_compression': must be between 0 and 100.", "output_compression", "invalid_value");
  }
  if (compression !== undefined && outputFormat === "png") {
    throw badRequest("output_compression is only supported for jpeg and webp output formats.", "output_compression", "invalid_value");
  }
  if (background === "transparent" && outputFormat === "jpeg") {
    throw badRequest("Transparent background is not supported for jpeg output format.", "background", "invalid_value");
  }

  let inputs: RecordedFile[] = [];
  if (endpoint === "edits") {
    inputs = record.files.filter((f) => f.field === "image" || f.field === "image[]");
    if (inputs.length === 0) throw badRequest("Missing required parameter: 'image'.", "image", "missing_required_parameter");
    if (inputs.length > 16) throw badRequest("Invalid 'image': array too long. Expected an array with maximum length 16.", "image", "array_above_max_length");
    for (const input of inputs) {
      if (!["image/png", "image/jpeg", "image/webp"].includes(input.type)) {
        throw badRequest(`Invalid file 'image': unsupported mimetype ('${input.type}'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.`, "image", "unsupported_file_mimetype");
      }
    }
    const fidelity = enumField(fields.input_fidelity, "input_fidelity", ["high", "low"]);
    if (fidelity && !rules.inputFidelity.includes(fidelity as "high" | "low")) {
      throw badRequest(`input_fidelity '${fidelity}' is not supported for model '${model}'.`, "input_fidelity", "unsupported_parameter");
    }
    const mask = record.files.find((f) => f.field === "mask");
    if (mask) {
      const [maskMeta, firstMeta] = await Promise.all([sharp(mask.data).metadata(), sharp(inputs[0]!.data).metadata()]);
      if (maskMeta.format !== "png" || !maskMeta.hasAlpha) throw badRequest("Invalid mask: the mask must be a PNG with an alpha channel.", "mask", "invalid_image_format");
      if (maskMeta.width !== firstMeta.width || maskMeta.height !== firstMeta.height) {
        throw badRequest("Invalid mask image: mask and image must have the same dimensions.", "mask", "invalid_image_dimensions");
      }
    }
  }

  let size = typeof fields.size === "string" ? fields.size : "auto";
  if (size !== "auto" && !STANDARD_SIZES.includes(size) && !(rules.custom && validateCustomSize(size))) {
    throw badRequest(
      rules.custom
        ? `Invalid size '${size}'. Width and height must be multiples of 16, the aspect ratio between 1:3 and 3:1, and the resolution at most 3840x2160.`
        : `Invalid value: '${size}'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.`,
      "size",
      "invalid_value",
    );
  }
  if (size === "auto") {
    const first = inputs[0] && (await sharp(inputs[0].data).metadata());
    size = first && first.width > first.height ? "1536x1024" : first && first.height > first.width ? "1024x1536" : "1024x1024";
  }
  const [width, height] = size.split("x").map(Number) as [number, number];
  const resolvedQuality = quality === "auto" ? "medium" : quality;
  const resolvedBackground = background === "transparent" ? "transparent" : "opaque";

  const data = [];
  for (let i = 0; i < n; i++) {
    const image = await renderImage({
      width,
      height,
      seedText: `${prompt}#${i}`,
      format: outputFormat,
      transparent: resolvedBackground === "transparent",
      compression,
      overlay: inputs[0]?.data,
    });
    data.push({ b64_json: image.toString("base64") });
  }

  const textTokens = Math.ceil(prompt.length / 4);
  const fidelityBonus = fields.input_fidelity === "high" ? 4096 : 0;
  const imageTokens = inputs.length * (323 + fidelityBonus);
  const imageOutputTokens = n * outputTokens(resolvedQuality, size);
  const textOutputTokens = rules.reportsOutputDetails ? Math.ceil(prompt.length / 8) : 0;
  const outputTokensTotal = imageOutputTokens + textOutputTokens;
  const safetyIdentifier = (fields.safety_identifier as string | undefined) || (fields.user as string | undefined);
  return {
    created: Math.floor(Date.now() / 1000),
    data,
    background: resolvedBackground,
    output_format: outputFormat,
    quality: resolvedQuality,
    size,
    ...(safetyIdentifier && { safety_identifier: safetyIdentifier }),
    usage: {
      total_tokens: textTokens + imageTokens + outputTokensTotal,
      input_tokens: textTokens + imageTokens,
      output_tokens: outputTokensTotal,
      input_tokens_details: { text_tokens: textTokens, image_tokens: imageTokens },
      ...(rules.reportsOutputDetails && {
        output_tokens_details: { image_tokens: imageOutputTokens, text_tokens: textOutputTokens },
      }),
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", "x-request-id": `req_${Math.random().toString(16).slice(2)}`, ...headers });
  res.end(JSON.stringify(body));
}

/** `otherApiKeys`: further accounts' keys the server also accepts (e.g. a shop's own key). */
export async function startOpenAiServer(options: { apiKey?: string; otherApiKeys?: string[] } = {}): Promise<FakeOpenAiServer> {
  const apiKey = options.apiKey ?? FAKE_OPENAI_API_KEY;
  const accepted = new Set([apiKey, ...(options.otherApiKeys ?? [])]);
  const requests: RecordedRequest[] = [];
  const queue: ScriptedAnswer[] = [];
  const rules: { match: (request: RecordedRequest) => boolean; answers: ScriptedAnswer[] }[] = [];

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")])),
      contentType: "other",
      fields: {},
      files: [],
      partNames: [],
      receivedAt: Date.now(),
      bodyReceived: false,
    };
    requests.push(record);
    let scriptedAnswer = queue.shift();
    let status = 200;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      await parseRequest(req, record).catch((error: unknown) => {
        if (!(error instanceof ApiFailure)) throw badRequest("Could not parse multipart form.", null, null);
        throw error;
      });
      record.bodyReceived = true;
      const rule = rules.find((r) => r.answers.length > 0 && r.match(record));
      if (rule) {
        // The request had taken the next enqueued answer; give it back for the next one.
        if (scriptedAnswer) queue.unshift(scriptedAnswer);
        scriptedAnswer = rule.answers.shift();
      }
      const delayMs = scriptedAnswer?.delayMs;
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (scriptedAnswer?.status !== undefined) {
        status = scriptedAnswer.status;
        body = scriptedAnswer.body;
        headers = scriptedAnswer.headers ?? {};
      } else {
        const authorization = req.headers.authorization;
        if (!authorization?.startsWith("Bearer ")) {
          throw new ApiFailure(
            401,
            errorBody(
              "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
              "invalid_request_error",
              null,
              null,
            ),
          );
        }
        if (!accepted.has(authorization.slice("Bearer ".length))) {
          throw new ApiFailure(401, errorBody("Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key"));
        }
        if (req.method !== "POST" || (path !== "/v1/images/generations" && path !== "/v1/images/edits")) {
          throw new ApiFailure(404, errorBody(`Invalid URL (${req.method} ${path})`, "invalid_request_error", null, null));
        }
        if (path === "/v1/images/generations" && record.contentType !== "json") {
          throw badRequest("Invalid Content-Type header; expected application/json.", null, null);
        }
        if (path === "/v1/images/edits" && record.contentType !== "multipart") {
          throw badRequest("Invalid Content-Type header; expected multipart/form-data.", null, null);
        }
        body = await answerImages(record, path === "/v1/images/generations" ? "generations" : "edits");
      }
    } catch (error) {
      if (error instanceof ApiFailure) {
        status = error.status;
        body = error.body;
      } else {
        status = 500;
        body = errorBody(`Fake server failure: ${String(error)}`, "server_error", null, null);
      }
    }
    record.answer = { status, body };
    send(res, status, body, headers);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    enqueue(...answers) {
      queue.push(...answers);
    },
    answerWhen(match, ...answers) {
      rules.push({ match, answers });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
