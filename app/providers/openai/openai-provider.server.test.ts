import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "~/generation/errors";
import type { GenerationRequest, ReferenceImage } from "~/generation/provider";
import { scripted, startOpenAiServer, type FakeOpenAiServer } from "../../../test/openai-server/server";
import { createOpenAiProvider, type OpenAiProviderOptions } from "./openai-provider.server";

const TODAY = new Date("2026-11-26T12:00:00Z");
const SHOP_HASH = "shop_5f2b9c0e7d4a41e3b8a6";

let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await startOpenAiServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

function provider(overrides: Partial<OpenAiProviderOptions> = {}) {
  return createOpenAiProvider({
    apiKey: server.apiKey,
    baseURL: server.baseURL,
    model: "gpt-image-2",
    clock: () => TODAY,
    ...overrides,
  });
}

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    prompt: "A ceramic mug on a walnut table, soft morning light",
    references: [],
    n: 1,
    size: "1024x1024",
    quality: "low",
    background: "auto",
    outputFormat: "png",
    seed: 7,
    ...overrides,
  };
}

async function solidPng(width: number, height: number, rgb: [number, number, number]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
}

async function reference(name: string, rgb: [number, number, number], mimeType = "image/png"): Promise<ReferenceImage> {
  const png = await solidPng(256, 256, rgb);
  const data = mimeType === "image/jpeg" ? await sharp(png).jpeg().toBuffer() : png;
  return { data, mimeType, filename: name };
}

/** A PNG mask whose left half is transparent (repaint) and right half opaque (keep). */
async function mask(width = 256, height = 256): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 4, 255);
  for (let y = 0; y < height; y++) for (let x = 0; x < width / 2; x++) raw[(y * width + x) * 4 + 3] = 0;
  return sharp(raw, { raw: { width, height, channels: 4 } }).png().toBuffer();
}

async function expectProviderError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** Published $ per 1M tokens equals micro-dollars per token. */
function expectedCost(
  answer: unknown,
  rates: { textIn: number; imageIn: number; imageOut: number; textOut: number },
): number {
  const usage = (answer as { usage: { input_tokens_details: { text_tokens: number; image_tokens: number }; output_tokens: number; output_tokens_details?: { image_tokens: number; text_tokens: number } } }).usage;
  const textOut = usage.output_tokens_details?.text_tokens ?? 0;
  const imageOut = usage.output_tokens_details?.image_tokens ?? usage.output_tokens;
  return Math.ceil(
    usage.input_tokens_details.text_tokens * rates.textIn +
      usage.input_tokens_details.image_tokens * rates.imageIn +
      imageOut * rates.imageOut +
      textOut * rates.textOut,
  );
}

describe("OpenAI provider: text to image", () => {
  it("sends every parameter to /images/generations and returns decodable images of the requested size", async () => {
    const result = await provider().generate(
      request({
        n: 2,
        size: "1536x1024",
        quality: "medium",
        background: "opaque",
        outputFormat: "webp",
        outputCompression: 70,
        moderation: "low",
        safetyIdentifier: SHOP_HASH,
      }),
    );

    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.path).toBe("/v1/images/generations");
    expect(sent.contentType).toBe("json");
    expect(sent.headers.authorization).toBe(`Bearer ${server.apiKey}`);
    expect(sent.fields).toEqual({
      model: "gpt-image-2",
      prompt: "A ceramic mug on a walnut table, soft morning light",
      n: 2,
      size: "1536x1024",
      quality: "medium",
      background: "opaque",
      output_format: "webp",
      output_compression: 70,
      moderation: "low",
      safety_identifier: SHOP_HASH,
    });
    expect(sent.fields).not.toHaveProperty("response_format");

    expect(result.provider).toBe("openai");
    expect(result.model).toBe("gpt-image-2");
    expect(result.images).toHaveLength(2);
    for (const image of result.images) {
      const meta = await sharp(image.data).metadata();
      expect(meta.format).toBe("webp");
      expect([meta.width, meta.height]).toEqual([1536, 1024]);
      expect(image).toMatchObject({ format: "webp", width: 1536, height: 1024 });
    }
    const [first, second] = await Promise.all(result.images.map((i) => sharp(i.data).resize(8, 8).raw().toBuffer()));
    expect(first!.equals(second!)).toBe(false);
  });

  it("forwards the safety identifier it is given and nothing derived from the shop domain", async () => {
    await provider().generate(request({ safetyIdentifier: SHOP_HASH }));
    const body = JSON.stringify(server.requests[0]!.fields);
    expect(server.requests[0]!.fields.safety_identifier).toBe(SHOP_HASH);
    expect(body).not.toContain("myshopify.com");
    expect(server.requests[0]!.fields).not.toHaveProperty("user");
  });

  it("omits optional fields that were not requested", async () => {
    await provider().generate(request());
    const fields = server.requests[0]!.fields;
    for (const absent of ["output_compression", "moderation", "safety_identifier", "user", "response_format", "input_fidelity"]) {
      expect(fields).not.toHaveProperty(absent);
    }
  });

  it("computes the cost exactly from the usage OpenAI reports", async () => {
    const gpt15 = await provider({ model: "gpt-image-1.5" }).generate(request({ quality: "high", size: "1024x1536" }));
    // gpt-image-1.5 published rates: text in $5, image in $8, image out $32, text out $10 per 1M.
    expect(gpt15.costMicros).toBe(expectedCost(server.requests[0]!.answer!.body, { textIn: 5, imageIn: 8, imageOut: 32, textOut: 10 }));
    expect(gpt15.usage?.outputImageTokens).toBe(6240);
    expect(gpt15.costMicros).toBeGreaterThan(6240 * 32);

    const mini = await provider({ model: "gpt-image-1-mini" }).generate(request({ quality: "low" }));
    // gpt-image-1-mini: text in $2, image in $2.50, image out $8; the API reports no output split.
    expect(mini.costMicros).toBe(expectedCost(server.requests[1]!.answer!.body, { textIn: 2, imageIn: 2.5, imageOut: 8, textOut: 0 }));
    expect(mini.usage).toEqual({
      inputTextTokens: 13,
      inputImageTokens: 0,
      outputImageTokens: 272,
      outputTextTokens: 0,
      cachedInputTokens: 0,
    });
  });
});

describe("OpenAI provider: estimates", () => {
  it("budgets at or above the billed cost, within a sane factor", async () => {
    const product = await reference("product.png", [200, 30, 30]);
    const cases: [OpenAiProviderOptions["model"], Partial<GenerationRequest>][] = [
      ["gpt-image-2", { quality: "high", size: "1024x1536" }],
      ["gpt-image-1.5", { quality: "medium", n: 3, references: [product] }],
      ["gpt-image-1-mini", { quality: "low", size: "1536x1024" }],
    ];
    for (const [model, overrides] of cases) {
      const p = provider({ model });
      const r = request(overrides);
      const estimate = p.estimateCostMicros(r);
      const actual = (await p.generate(r)).costMicros;
      expect(estimate).toBeGreaterThanOrEqual(actual);
      expect(estimate).toBeLessThanOrEqual(actual * 3);
    }
  });

  it("uses the published table and scales custom sizes by area", () => {
    const p = provider({ model: "gpt-image-1-mini" });
    const noPrompt = { prompt: "", references: [], n: 1 };
    // 4160 high-quality output tokens at $8/1M.
    expect(p.estimateCostMicros({ ...noPrompt, size: "1024x1024", quality: "high" })).toBe(33_280);
    expect(p.estimateCostMicros({ ...noPrompt, size: "1024x1536", quality: "low" })).toBe(408 * 8);
    const gpt2 = provider();
    const square = gpt2.estimateCostMicros({ ...noPrompt, size: "1024x1024", quality: "medium" });
    expect(gpt2.estimateCostMicros({ ...noPrompt, size: "2048x1024", quality: "medium" })).toBe(square * 2);
    // "auto" quality is budgeted as high.
    expect(gpt2.estimateCostMicros({ ...noPrompt, size: "1024x1024", quality: "auto" })).toBe(
      gpt2.estimateCostMicros({ ...noPrompt, size: "1024x1024", quality: "high" }),
    );
  });
});

describe("OpenAI provider: edits with references", () => {
  it("sends references as repeated image[] parts, product first, with the mask and high input fidelity on gpt-image-1.5", async () => {
    const product = await reference("product.png", [200, 30, 30]);
    const scene = await reference("scene.jpg", [30, 200, 30], "image/jpeg");
    const style = await reference("style.png", [30, 30, 200]);
    const maskPng = await mask();

    const result = await provider({ model: "gpt-image-1.5" }).generate(
      request({
        references: [product, scene, style],
        mask: maskPng,
        quality: "high",
        background: "transparent",
        outputFormat: "png",
        moderation: "low",
        safetyIdentifier: SHOP_HASH,
      }),
    );

    const sent = server.requests[0]!;
    expect(sent.path).toBe("/v1/images/edits");
    expect(sent.contentType).toBe("multipart");
    const imageParts = sent.files.filter((f) => f.field === "image[]");
    expect(imageParts.map((f) => f.filename)).toEqual(["product.png", "scene.jpg", "style.png"]);
    expect(imageParts.map((f) => f.type)).toEqual(["image/png", "image/jpeg", "image/png"]);
    expect(imageParts[0]!.data.equals(product.data)).toBe(true);
    expect(imageParts[1]!.data.equals(scene.data)).toBe(true);
    const maskPart = sent.files.find((f) => f.field === "mask");
    expect(maskPart?.data.equals(maskPng)).toBe(true);
    expect(maskPart?.type).toBe("image/png");
    expect(sent.fields).toMatchObject({
      model: "gpt-image-1.5",
      input_fidelity: "high",
      quality: "high",
      background: "transparent",
      output_format: "png",
      n: "1",
      size: "1024x1024",
      safety_identifier: SHOP_HASH,
    });
    // The edits endpoint takes no moderation level.
    expect(sent.fields).not.toHaveProperty("moderation");
    expect(sent.fields).not.toHaveProperty("response_format");

    const meta = await sharp(result.images[0]!.data).metadata();
    expect(meta.hasAlpha).toBe(true);
    expect(result.usage?.inputImageTokens).toBeGreaterThan(0);
    expect(result.costMicros).toBe(expectedCost(sent.answer!.body, { textIn: 5, imageIn: 8, imageOut: 32, textOut: 10 }));
  });

  it("omits input_fidelity for models that do not take it", async () => {
    const product = await reference("product.png", [200, 30, 30]);
    await provider({ model: "gpt-image-2" }).generate(request({ references: [product] }));
    await provider({ model: "gpt-image-1-mini" }).generate(request({ references: [product] }));
    expect(server.requests.map((r) => r.answer?.status)).toEqual([200, 200]);
    for (const sent of server.requests) {
      expect(sent.path).toBe("/v1/images/edits");
      expect(sent.fields).not.toHaveProperty("input_fidelity");
      expect(sent.partNames).toContain("image[]");
    }
  });

  it("resends buffered uploads when SDK retries are enabled", async () => {
    const product = await reference("product.png", [200, 30, 30]);
    server.enqueue({ ...scripted.serverError(503), headers: { "retry-after-ms": "10" } });
    const result = await provider({ maxRetries: 1 }).generate(request({ references: [product] }));
    expect(result.images).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.files[0]!.data.equals(product.data)).toBe(true);
  });

  it("refuses a mask that has no alpha, does not match the product photo, or has nothing to apply to", async () => {
    const product = await reference("product.png", [200, 30, 30]);
    const cases = [
      request({ references: [product], mask: await solidPng(256, 256, [0, 0, 0]) }),
      request({ references: [product], mask: await mask(128, 128) }),
      request({ mask: await mask() }),
    ];
    for (const bad of cases) {
      const error = await expectProviderError(provider().generate(bad));
      expect(error.kind).toBe("invalid_request");
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("OpenAI provider: sizes", () => {
  it("accepts custom sizes on gpt-image-2 and returns that size", async () => {
    const result = await provider().generate(request({ size: "1536x864" }));
    expect(server.requests[0]!.fields.size).toBe("1536x864");
    expect(result.images[0]).toMatchObject({ width: 1536, height: 864 });
  });

  it("accepts auto", async () => {
    const result = await provider().generate(request({ size: "auto" }));
    expect(server.requests[0]!.fields.size).toBe("auto");
    expect(result.images[0]!.width).toBeGreaterThan(0);
  });

  it("refuses invalid sizes before any network call", async () => {
    const invalidForGpt2 = ["1000x1000", "3840x1024", "4096x2304", "128x128", "big"];
    for (const size of invalidForGpt2) {
      const error = await expectProviderError(provider().generate(request({ size })));
      expect(error.kind).toBe("invalid_request");
      expect(error.message).toContain(size);
    }
    const custom = await expectProviderError(provider({ model: "gpt-image-1.5" }).generate(request({ size: "1536x864" })));
    expect(custom.kind).toBe("invalid_request");
    expect(server.requests).toHaveLength(0);
  });
});

describe("OpenAI provider: local validation", () => {
  it("refuses what the API would refuse, without calling it", async () => {
    const cases: [Partial<OpenAiProviderOptions>, Partial<GenerationRequest>][] = [
      [{}, { n: 0 }],
      [{}, { n: 11 }],
      [{}, { prompt: "   " }],
      [{}, { prompt: "x".repeat(32_001) }],
      [{}, { background: "transparent" }],
      [{ model: "gpt-image-1.5" }, { background: "transparent", outputFormat: "jpeg" }],
      [{}, { outputFormat: "png", outputCompression: 50 }],
      [{}, { outputFormat: "jpeg", outputCompression: 101 }],
    ];
    for (const [options, overrides] of cases) {
      const error = await expectProviderError(provider(options).generate(request(overrides)));
      expect(error.kind).toBe("invalid_request");
      expect(error.retryable).toBe(false);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("OpenAI provider: model lifecycle", () => {
  it("defaults to gpt-image-2, the current GA model", () => {
    const p = createOpenAiProvider({ apiKey: server.apiKey, baseURL: server.baseURL });
    expect(p.model).toBe("gpt-image-2");
    expect(p.lifecycleWarning()).toBeNull();
  });

  it("refuses a shut-down model without a network call and names the replacement", async () => {
    const error = await expectProviderError(provider({ model: "gpt-image-1" }).generate(request()));
    expect(error.kind).toBe("invalid_request");
    expect(error.message).toContain("gpt-image-2");
    expect(error.message).toContain("2026-10-23");
    expect(server.requests).toHaveLength(0);
  });

  it("warns about a model close to shutdown but still runs it", async () => {
    const deprecated = provider({ model: "gpt-image-1.5" });
    expect(deprecated.lifecycleWarning()).toMatch(/gpt-image-1\.5 stops working on 2026-12-01 \(in 5 days\); switch to gpt-image-2/);
    const result = await deprecated.generate(request());
    expect(result.images).toHaveLength(1);
    expect(provider().lifecycleWarning()).toBeNull();
  });

  it("starts refusing on the shutdown date", async () => {
    const later = provider({ model: "gpt-image-1-mini", clock: () => new Date("2026-12-01T00:00:00Z") });
    const error = await expectProviderError(later.generate(request()));
    expect(error.kind).toBe("invalid_request");
    expect(server.requests).toHaveLength(0);
  });
});

describe("OpenAI provider: failures", () => {
  it("maps 429 with retry-after-ms to rate_limited with that delay", async () => {
    server.enqueue(scripted.rateLimited({ retryAfterMs: 1500, retryAfterSeconds: 2 }));
    const error = await expectProviderError(provider().generate(request()));
    expect(error).toMatchObject({ kind: "rate_limited", retryable: true, retryAfterMs: 1500, status: 429 });
  });

  it("maps 429 with retry-after seconds to rate_limited", async () => {
    server.enqueue(scripted.rateLimited({ retryAfterSeconds: 20 }));
    const error = await expectProviderError(provider().generate(request()));
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 20_000 });
  });

  it("maps 429 without a delay to rate_limited with no delay", async () => {
    server.enqueue(scripted.rateLimited());
    const error = await expectProviderError(provider().generate(request()));
    expect(error.kind).toBe("rate_limited");
    expect(error.retryAfterMs).toBeUndefined();
  });

  it("maps insufficient_quota to quota_exhausted, not retryable", async () => {
    server.enqueue(scripted.insufficientQuota());
    const error = await expectProviderError(provider().generate(request()));
    expect(error).toMatchObject({ kind: "quota_exhausted", retryable: false, status: 429 });
  });

  it("maps moderation_blocked with its categories and stage", async () => {
    server.enqueue(scripted.moderationBlocked(["sexual", "violence"], "prompt"));
    const error = await expectProviderError(provider().generate(request()));
    expect(error).toMatchObject({ kind: "moderation_blocked", retryable: false });
    expect(error.moderation).toEqual({ stage: "input", categories: ["sexual", "violence"] });

    server.enqueue(scripted.moderationBlocked());
    const bare = await expectProviderError(provider().generate(request()));
    expect(bare.kind).toBe("moderation_blocked");
    expect(bare.moderation).toEqual({ stage: undefined, categories: undefined });
  });

  it("maps a 400 from the API to invalid_request", async () => {
    // A limit the API enforces that we do not know locally.
    server.enqueue({ status: 400, body: { error: { message: "Invalid size '512x1536': exceeds the current edge limit.", type: "invalid_request_error", param: "size", code: "invalid_value" } } });
    const error = await expectProviderError(provider().generate(request({ size: "512x1536" })));
    expect(error).toMatchObject({ kind: "invalid_request", status: 400, retryable: false });
  });

  it("maps a wrong API key and a revoked key to authentication", async () => {
    const wrongKey = await expectProviderError(provider({ apiKey: "sk-wrong" }).generate(request()));
    expect(wrongKey).toMatchObject({ kind: "authentication", status: 401, retryable: false });
    server.enqueue(scripted.unauthorized());
    const revoked = await expectProviderError(provider().generate(request()));
    expect(revoked.kind).toBe("authentication");
  });

  it("maps 500 and 503 to transient, and makes no SDK retry by default", async () => {
    for (const status of [500, 503] as const) {
      server.requests.length = 0;
      server.enqueue(scripted.serverError(status));
      const error = await expectProviderError(provider().generate(request()));
      expect(error).toMatchObject({ kind: "transient", retryable: true, status });
      expect(server.requests).toHaveLength(1);
    }
  });

  it("maps a refused connection to transient", async () => {
    const error = await expectProviderError(provider({ baseURL: "http://127.0.0.1:9/v1" }).generate(request()));
    expect(error).toMatchObject({ kind: "transient", retryable: true });
  });

  it("maps a slow answer past the deadline to timeout", async () => {
    server.enqueue(scripted.slow(2_000));
    const started = Date.now();
    const error = await expectProviderError(provider().generate(request({ timeoutMs: 200 })));
    expect(error).toMatchObject({ kind: "timeout", retryable: true });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("maps a caller abort to timeout", async () => {
    server.enqueue(scripted.slow(2_000));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await expectProviderError(provider().generate(request({ signal: controller.signal })));
    expect(error.kind).toBe("timeout");
  });
});
