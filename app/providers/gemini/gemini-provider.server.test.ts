import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "~/generation/errors";
import type { GenerationRequest, ReferenceImage } from "~/generation/provider";
import { scriptedGemini, startGeminiServer, type FakeGeminiServer } from "../../../test/gemini-server/server";
import { createGeminiProvider, type GeminiProviderOptions } from "./gemini-provider.server";

const SHOP_HASH = "shop_5f2b9c0e7d4a41e3b8a6";

let server: FakeGeminiServer;

beforeAll(async () => {
  server = await startGeminiServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

function provider(overrides: Partial<GeminiProviderOptions> = {}) {
  return createGeminiProvider({ apiKey: server.apiKey, baseUrl: server.baseUrl, model: "gemini-2.5-flash-image", ...overrides });
}

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    prompt: "A linen tote bag hanging on a café chair",
    references: [],
    n: 1,
    size: "1024x1024",
    quality: "auto",
    background: "auto",
    outputFormat: "png",
    seed: 11,
    ...overrides,
  };
}

async function reference(name: string, rgb: [number, number, number], width = 300, height = 200): Promise<ReferenceImage> {
  const data = await sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
  return { data, mimeType: "image/png", filename: name };
}

async function expectProviderError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

interface UsageMetadata {
  promptTokensDetails: { modality: string; tokenCount: number }[];
  candidatesTokensDetails: { modality: string; tokenCount: number }[];
  thoughtsTokenCount?: number;
}

function reportedUsage(answer: unknown): UsageMetadata {
  return (answer as { usageMetadata: UsageMetadata }).usageMetadata;
}

function tokens(details: { modality: string; tokenCount: number }[], modality: string): number {
  return details.find((d) => d.modality === modality)?.tokenCount ?? 0;
}

describe("Gemini provider: generation", () => {
  it("calls generateContent with the API key header, image modality, aspect ratio and seed", async () => {
    const result = await provider().generate(request({ size: "1344x768", moderation: "low", safetyIdentifier: SHOP_HASH }));

    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.path).toBe("/v1beta/models/gemini-2.5-flash-image:generateContent");
    expect(sent.headers["x-goog-api-key"]).toBe(server.apiKey);
    expect(sent.body?.contents).toEqual([{ role: "user", parts: [{ text: "A linen tote bag hanging on a café chair" }] }]);
    expect(sent.body?.generationConfig).toEqual({ responseModalities: ["IMAGE"], seed: 11, imageConfig: { aspectRatio: "16:9" } });
    expect(sent.body?.safetySettings?.map((s) => s.threshold)).toEqual(Array(4).fill("BLOCK_ONLY_HIGH"));
    // Gemini has no end-user identifier field: nothing about the shop is sent.
    const wire = JSON.stringify(sent.body);
    expect(wire).not.toContain(SHOP_HASH);
    expect(wire).not.toContain("myshopify.com");

    expect(result).toMatchObject({ provider: "gemini", model: "gemini-2.5-flash-image" });
    const meta = await sharp(result.images[0]!.data).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 1344, 768]);
    expect(result.images[0]).toMatchObject({ format: "png", width: 1344, height: 768 });
  });

  it("sends no aspect ratio for auto and no safety settings for default moderation", async () => {
    await provider().generate(request({ size: "auto" }));
    const sent = server.requests[0]!.body!;
    expect(sent.generationConfig).toEqual({ responseModalities: ["IMAGE"], seed: 11 });
    expect(sent).not.toHaveProperty("safetySettings");
  });

  it("asks gemini-3-pro-image-preview for the resolution tier of the size", async () => {
    const result = await provider({ model: "gemini-3-pro-image-preview" }).generate(request({ size: "2752x1536" }));
    expect(server.requests[0]!.body?.generationConfig?.imageConfig).toEqual({ aspectRatio: "16:9", imageSize: "2K" });
    expect(result.images[0]).toMatchObject({ width: 2752, height: 1536 });
  });

  it("transcodes to the requested format when Gemini answers PNG", async () => {
    const result = await provider().generate(request({ outputFormat: "jpeg", outputCompression: 60 }));
    const meta = await sharp(result.images[0]!.data).metadata();
    expect(meta.format).toBe("jpeg");
    expect(result.images[0]!.format).toBe("jpeg");
  });

  it("computes the cost exactly from usageMetadata", async () => {
    const flash = await provider().generate(request({ references: [await reference("product.png", [180, 40, 40])] }));
    const flashUsage = reportedUsage(server.requests[0]!.answer!.body);
    // gemini-2.5-flash-image: input $0.30, image output $30 per 1M tokens.
    const expectedFlash = Math.ceil(
      tokens(flashUsage.promptTokensDetails, "TEXT") * 0.3 +
        tokens(flashUsage.promptTokensDetails, "IMAGE") * 0.3 +
        tokens(flashUsage.candidatesTokensDetails, "IMAGE") * 30,
    );
    expect(flash.usage?.outputImageTokens).toBe(1290);
    expect(flash.costMicros).toBe(expectedFlash);
    // One 1024² image is $0.039 at $30/1M.
    expect(flash.costMicros).toBeGreaterThanOrEqual(38_700);

    const pro = await provider({ model: "gemini-3-pro-image-preview" }).generate(request({ size: "4096x4096" }));
    const proUsage = reportedUsage(server.requests[1]!.answer!.body);
    // gemini-3-pro-image-preview: input $2, image output $120, text output (thinking) $12 per 1M.
    const expectedPro = Math.ceil(
      tokens(proUsage.promptTokensDetails, "TEXT") * 2 +
        tokens(proUsage.candidatesTokensDetails, "IMAGE") * 120 +
        (proUsage.thoughtsTokenCount ?? 0) * 12,
    );
    expect(pro.usage?.outputImageTokens).toBe(2000);
    expect(pro.usage?.outputTextTokens).toBe(proUsage.thoughtsTokenCount);
    expect(pro.costMicros).toBe(expectedPro);
  });

  it("estimates close to, and not below, the billed cost", async () => {
    for (const model of ["gemini-2.5-flash-image", "gemini-3-pro-image-preview"] as const) {
      const p = provider({ model });
      const r = request({ references: [await reference("product.png", [10, 120, 200], 1024, 1024)] });
      const estimate = p.estimateCostMicros(r);
      const actual = (await p.generate(r)).costMicros;
      // Thinking tokens are left out of the estimate; they are under 2% of a pro image.
      expect(estimate).toBeGreaterThanOrEqual(actual * 0.97);
      expect(estimate).toBeLessThanOrEqual(actual * 1.5);
    }
  });
});

describe("Gemini provider: references", () => {
  it("sends references as inlineData parts, product first, before the prompt", async () => {
    const product = await reference("product.png", [200, 30, 30]);
    const model = await reference("model.png", [30, 200, 30]);
    const scene = { ...(await reference("scene.png", [30, 30, 200])), mimeType: "image/jpeg", data: await sharp((await reference("s", [30, 30, 200])).data).jpeg().toBuffer() };
    const result = await provider().generate(request({ references: [product, model, scene], size: "auto" }));

    const parts = server.requests[0]!.body!.contents![0]!.parts!;
    expect(parts).toHaveLength(4);
    expect(parts[0]!.inlineData).toEqual({ mimeType: "image/png", data: product.data.toString("base64") });
    expect(parts[1]!.inlineData).toEqual({ mimeType: "image/png", data: model.data.toString("base64") });
    expect(parts[2]!.inlineData?.mimeType).toBe("image/jpeg");
    expect(parts[3]).toEqual({ text: "A linen tote bag hanging on a café chair" });
    // Without an aspect ratio the fake, like the API, follows the product photo (3:2).
    expect(result.images[0]).toMatchObject({ width: 1248, height: 832 });
  });

  it("refuses a mask, since Gemini has none", async () => {
    const product = await reference("product.png", [200, 30, 30]);
    const p = provider();
    expect(p.capabilities.mask).toBe(false);
    const error = await expectProviderError(p.generate(request({ references: [product], mask: product.data })));
    expect(error.kind).toBe("invalid_request");
    expect(server.requests).toHaveLength(0);
  });

  it("refuses more references than the model takes", async () => {
    const product = await reference("product.png", [200, 30, 30]);
    const error = await expectProviderError(provider().generate(request({ references: [product, product, product, product] })));
    expect(error.kind).toBe("invalid_request");
    expect(server.requests).toHaveLength(0);
  });
});

describe("Gemini provider: local validation", () => {
  it("refuses what the model cannot do, without calling it", async () => {
    const cases: Partial<GenerationRequest>[] = [
      { n: 2 },
      { size: "1536x1024" },
      { size: "2752x1536" },
      { quality: "high" },
      { background: "transparent" },
      { prompt: "" },
      { outputFormat: "png", outputCompression: 80 },
    ];
    for (const overrides of cases) {
      const error = await expectProviderError(provider().generate(request(overrides)));
      expect(error.kind).toBe("invalid_request");
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("Gemini provider: failures", () => {
  it("maps 429 RESOURCE_EXHAUSTED to rate_limited with the RetryInfo delay", async () => {
    server.enqueue(scriptedGemini.rateLimited("37s"));
    const error = await expectProviderError(provider().generate(request()));
    expect(error).toMatchObject({ kind: "rate_limited", retryable: true, retryAfterMs: 37_000, status: 429 });

    server.enqueue(scriptedGemini.rateLimited("1.5s"));
    expect((await expectProviderError(provider().generate(request()))).retryAfterMs).toBe(1_500);

    server.enqueue(scriptedGemini.rateLimited());
    const bare = await expectProviderError(provider().generate(request()));
    expect(bare.kind).toBe("rate_limited");
    expect(bare.retryAfterMs).toBeUndefined();
  });

  it("maps a blocked prompt to moderation_blocked at the input stage", async () => {
    server.enqueue(scriptedGemini.blockedPrompt("PROHIBITED_CONTENT"));
    const error = await expectProviderError(provider().generate(request()));
    expect(error).toMatchObject({ kind: "moderation_blocked", retryable: false });
    expect(error.moderation?.stage).toBe("input");
    expect(error.message).toContain("PROHIBITED_CONTENT");

    server.enqueue(scriptedGemini.blockedPrompt("SAFETY", ["HARM_CATEGORY_SEXUALLY_EXPLICIT"]));
    const withCategories = await expectProviderError(provider().generate(request()));
    expect(withCategories.moderation).toEqual({ stage: "input", categories: ["HARM_CATEGORY_SEXUALLY_EXPLICIT"] });
  });

  it("maps SAFETY, PROHIBITED_CONTENT and IMAGE_SAFETY finish reasons to moderation_blocked at the output stage", async () => {
    for (const reason of ["SAFETY", "PROHIBITED_CONTENT", "IMAGE_SAFETY"]) {
      server.enqueue(scriptedGemini.safetyStop(reason, ["HARM_CATEGORY_DANGEROUS_CONTENT"]));
      const error = await expectProviderError(provider().generate(request()));
      expect(error.kind).toBe("moderation_blocked");
      expect(error.moderation).toEqual({ stage: "output", categories: ["HARM_CATEGORY_DANGEROUS_CONTENT"] });
    }
  });

  it("maps a text-only answer to transient", async () => {
    server.enqueue(scriptedGemini.textOnly("I can't create that image, but here is a description."));
    const error = await expectProviderError(provider().generate(request()));
    expect(error).toMatchObject({ kind: "transient", retryable: true });
    expect(error.message).toContain("I can't create that image");
  });

  it("maps 400 INVALID_ARGUMENT to invalid_request", async () => {
    server.enqueue(scriptedGemini.invalidArgument("Unsupported aspect ratio: 7:3"));
    const error = await expectProviderError(provider().generate(request()));
    expect(error).toMatchObject({ kind: "invalid_request", status: 400, retryable: false });
    expect(error.message).toContain("Unsupported aspect ratio");
  });

  it("maps a bad API key (400 API_KEY_INVALID), a missing key and 403 to authentication", async () => {
    const wrong = await expectProviderError(provider({ apiKey: "AIza-wrong" }).generate(request()));
    expect(wrong).toMatchObject({ kind: "authentication", status: 400, retryable: false });

    server.enqueue(scriptedGemini.permissionDenied());
    const denied = await expectProviderError(provider().generate(request()));
    expect(denied).toMatchObject({ kind: "authentication", status: 403 });
  });

  it("maps 500 and 503 to transient, with a single attempt", async () => {
    for (const status of [500, 503] as const) {
      server.requests.length = 0;
      server.enqueue(scriptedGemini.serverError(status));
      const error = await expectProviderError(provider().generate(request()));
      expect(error).toMatchObject({ kind: "transient", retryable: true, status });
      expect(server.requests).toHaveLength(1);
    }
  });

  it("maps a slow answer past the deadline to timeout", async () => {
    server.enqueue(scriptedGemini.slow(2_000));
    const started = Date.now();
    const error = await expectProviderError(provider().generate(request({ timeoutMs: 200 })));
    expect(error).toMatchObject({ kind: "timeout", retryable: true });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("maps a caller abort to timeout", async () => {
    server.enqueue(scriptedGemini.slow(2_000));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await expectProviderError(provider().generate(request({ signal: controller.signal })));
    expect(error.kind).toBe("timeout");
  });

  it("maps an unreachable server to transient", async () => {
    const error = await expectProviderError(provider({ baseUrl: "http://127.0.0.1:9" }).generate(request()));
    expect(error).toMatchObject({ kind: "transient", retryable: true });
  });
});
