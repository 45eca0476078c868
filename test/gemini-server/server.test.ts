import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGeminiServer, type FakeGeminiServer } from "./server";

let server: FakeGeminiServer;
beforeAll(async () => {
  server = await startGeminiServer();
});
afterAll(async () => {
  await server.close();
});

function generate(model: string, body: unknown, key: string | null = server.apiKey) {
  return fetch(`${server.baseUrl}/v1beta/models/${model}:generateContent`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key && { "x-goog-api-key": key }) },
    body: JSON.stringify(body),
  });
}

const prompt = { contents: [{ role: "user", parts: [{ text: "a lamp" }] }] };

async function expectGoogleError(response: Response, code: number, status: string) {
  expect(response.status).toBe(code);
  const body = (await response.json()) as { error: { code: number; status: string; message: string } };
  expect(body.error).toMatchObject({ code, status });
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

describe("fake Gemini API", () => {
  it("answers with an inline PNG at the aspect ratio's resolution and per-modality usage", async () => {
    const response = await generate("gemini-2.5-flash-image", { ...prompt, generationConfig: { responseModalities: ["IMAGE"], imageConfig: { aspectRatio: "9:16" } } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      candidates: { content: { parts: { inlineData: { mimeType: string; data: string } }[] }; finishReason: string }[];
      usageMetadata: { candidatesTokensDetails: { modality: string; tokenCount: number }[] };
    };
    const part = body.candidates[0]!.content.parts[0]!.inlineData;
    expect(part.mimeType).toBe("image/png");
    const meta = await sharp(Buffer.from(part.data, "base64")).metadata();
    expect([meta.width, meta.height]).toEqual([768, 1344]);
    expect(body.candidates[0]!.finishReason).toBe("STOP");
    expect(body.usageMetadata.candidatesTokensDetails).toEqual([{ modality: "IMAGE", tokenCount: 1290 }]);
  });

  it("rejects missing and invalid keys the way the API does", async () => {
    await expectGoogleError(await generate("gemini-2.5-flash-image", prompt, null), 403, "PERMISSION_DENIED");
    const invalid = (await expectGoogleError(await generate("gemini-2.5-flash-image", prompt, "AIza-bad"), 400, "INVALID_ARGUMENT")) as unknown as {
      details: { reason?: string }[];
    };
    expect(invalid.details.some((d) => d.reason === "API_KEY_INVALID")).toBe(true);
  });

  it("validates model, aspect ratio, image size and candidate count", async () => {
    await expectGoogleError(await generate("gemini-9-image", prompt), 404, "NOT_FOUND");
    await expectGoogleError(await generate("gemini-2.5-flash-image", { ...prompt, generationConfig: { imageConfig: { aspectRatio: "7:3" } } }), 400, "INVALID_ARGUMENT");
    await expectGoogleError(await generate("gemini-2.5-flash-image", { ...prompt, generationConfig: { imageConfig: { aspectRatio: "1:1", imageSize: "2K" } } }), 400, "INVALID_ARGUMENT");
    await expectGoogleError(await generate("gemini-2.5-flash-image", { ...prompt, generationConfig: { candidateCount: 2 } }), 400, "INVALID_ARGUMENT");
    await expectGoogleError(await generate("gemini-2.5-flash-image", { contents: [{ role: "user", parts: [{ inlineData: { mimeType: "application/pdf", data: "AA==" } }] }] }), 400, "INVALID_ARGUMENT");
  });
});
