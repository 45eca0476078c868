import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiServer, type FakeOpenAiServer } from "./server";

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer();
});
afterAll(async () => {
  await server.close();
});

function post(path: string, body: BodyInit, headers: Record<string, string> = {}) {
  return fetch(`${server.baseURL}${path}`, { method: "POST", body, headers: { authorization: `Bearer ${server.apiKey}`, ...headers } });
}

function generate(fields: Record<string, unknown>, headers: Record<string, string> = {}) {
  return post("/images/generations", JSON.stringify({ model: "gpt-image-1.5", prompt: "a mug", ...fields }), {
    "content-type": "application/json",
    ...headers,
  });
}

async function expectApiError(response: Response, status: number, param: string | null, code: string | null) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: Record<string, unknown> };
  expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(body.error).toMatchObject({ param, code });
  expect(typeof body.error.message).toBe("string");
}

describe("fake OpenAI Images API", () => {
  it("answers a generation with decodable images and the documented response fields", async () => {
    const response = await generate({ n: 2, size: "1024x1536", quality: "low", output_format: "jpeg", output_compression: 50 });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown> & { data: { b64_json: string }[]; usage: Record<string, unknown> };
    expect(body).toMatchObject({ output_format: "jpeg", quality: "low", size: "1024x1536", background: "opaque" });
    expect(body.data).toHaveLength(2);
    const meta = await sharp(Buffer.from(body.data[0]!.b64_json, "base64")).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 1024, 1536]);
    expect(body.usage).toMatchObject({ input_tokens_details: { image_tokens: 0 } });
  });

  it("rejects a missing or wrong API key with 401", async () => {
    await expectApiError(await generate({}, { authorization: "" }), 401, null, null);
    await expectApiError(await generate({}, { authorization: "Bearer sk-nope" }), 401, null, "invalid_api_key");
  });

  it("validates model, size, n, response_format and compression like the API", async () => {
    await expectApiError(await generate({ model: "gpt-image-9" }), 400, "model", "invalid_value");
    await expectApiError(await generate({ model: "gpt-image-1" }), 404, null, "model_not_found");
    await expectApiError(await generate({ size: "1536x864" }), 400, "size", "invalid_value");
    await expectApiError(await generate({ model: "gpt-image-2", size: "1000x1000" }), 400, "size", "invalid_value");
    await expectApiError(await generate({ n: 0 }), 400, "n", "integer_below_min_value");
    await expectApiError(await generate({ n: 11 }), 400, "n", "integer_above_max_value");
    await expectApiError(await generate({ response_format: "b64_json" }), 400, "response_format", "unknown_parameter");
    await expectApiError(await generate({ output_compression: 50 }), 400, "output_compression", "invalid_value");
  });

  it("parses multipart edits with repeated image[] parts and checks the mask", async () => {
    const red = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#c00" } }).png().toBuffer();
    const opaqueMask = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#000" } }).png().toBuffer();
    const form = new FormData();
    form.append("model", "gpt-image-2");
    form.append("prompt", "put it on a table");
    form.append("image[]", new File([new Uint8Array(red)], "a.png", { type: "image/png" }));
    form.append("image[]", new File([new Uint8Array(red)], "b.png", { type: "image/png" }));
    form.append("mask", new File([new Uint8Array(opaqueMask)], "mask.png", { type: "image/png" }));
    await expectApiError(await post("/images/edits", form), 400, "mask", "invalid_image_format");
    const recorded = server.requests.at(-1)!;
    expect(recorded.files.map((f) => [f.field, f.filename])).toEqual([
      ["image[]", "a.png"],
      ["image[]", "b.png"],
      ["mask", "mask.png"],
    ]);

    const fidelity = new FormData();
    fidelity.append("model", "gpt-image-2");
    fidelity.append("prompt", "x");
    fidelity.append("input_fidelity", "high");
    fidelity.append("image[]", new File([new Uint8Array(red)], "a.png", { type: "image/png" }));
    await expectApiError(await post("/images/edits", fidelity), 400, "input_fidelity", "unsupported_parameter");
  });
});
