import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { ProviderError } from "~/generation/errors";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { sceneSpecFor } from "~/generation/presets/scene-spec";
import type { GenerationRequest } from "~/generation/provider";
import { deltaE, rgbToLab } from "~/images/colour";
import { busyPackshot, hostileInputs, plainPackshots } from "../../../test/fixtures/images/make-fixtures";
import { createStudioProvider, parseStudioSize } from "./provider.server";

const provider = createStudioProvider();
let photo: Buffer;

beforeAll(async () => {
  const mug = (await plainPackshots()).find((s) => s.name === "mug");
  if (!mug) throw new Error("fixture missing");
  photo = mug.photo;
});

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    prompt: "",
    references: [{ data: photo, mimeType: "image/jpeg", filename: "mug.jpg" }],
    n: 1,
    size: "512x512",
    quality: "medium",
    background: "opaque",
    outputFormat: "png",
    seed: 11,
    ...overrides,
  };
}

async function pixels(bytes: Buffer): Promise<Buffer> {
  return sharp(bytes).removeAlpha().raw().toBuffer();
}

function meanAbsDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

async function refusal(req: GenerationRequest): Promise<ProviderError> {
  const error = await provider.generate(req).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("studio provider", () => {
  it("describes itself honestly", () => {
    expect(provider.id).toBe("studio");
    expect(provider.model).toBe("studio-1");
    expect(provider.price).toEqual({ kind: "free" });
    expect(provider.estimateCostMicros(request())).toBe(0);
    expect(provider.capabilities).toMatchObject({
      editWithReferences: true,
      mask: false,
      onModel: false,
      transparentBackground: true,
      deterministicSeed: true,
      formats: ["png", "jpeg", "webp"],
    });
  });

  it("renders n candidates in the requested size and format, free", async () => {
    const result = await provider.generate(request({ n: 2, outputFormat: "webp", size: "768x512", scene: { surface: "marble" } }));
    expect(result).toMatchObject({ usage: null, costMicros: 0, model: "studio-1", provider: "studio" });
    expect(result.images).toHaveLength(2);
    for (const image of result.images) {
      expect([image.format, image.width, image.height]).toEqual(["webp", 768, 512]);
      expect((await sharp(image.data).metadata()).format).toBe("webp");
      expect(image.revisedPrompt).toMatch(/marble/);
    }
  });

  it("is deterministic for a seed and varies across seeds", async () => {
    const [a, b, c] = await Promise.all([
      provider.generate(request({ seed: 5 })),
      provider.generate(request({ seed: 5 })),
      provider.generate(request({ seed: 6 })),
    ]);
    const [pa, pb, pc] = await Promise.all([a, b, c].map((r) => pixels(r.images[0]?.data ?? Buffer.alloc(0))));
    expect(meanAbsDiff(pa ?? Buffer.alloc(0), pb ?? Buffer.alloc(0))).toBe(0);
    expect(meanAbsDiff(pa ?? Buffer.alloc(0), pc ?? Buffer.alloc(0))).toBeGreaterThan(8);
  });

  it("uses the structured scene before the prompt", async () => {
    const result = await provider.generate(request({ prompt: "on marble", scene: { surface: "wood" } }));
    expect(result.images[0]?.revisedPrompt).toMatch(/wood surface/);
    const fallback = await provider.generate(request({ prompt: "on a concrete floor" }));
    expect(fallback.images[0]?.revisedPrompt).toMatch(/concrete surface/);
  });

  it("outputs a transparent background when asked", async () => {
    const result = await provider.generate(request({ background: "transparent", outputFormat: "png" }));
    const { data, info } = await sharp(result.images[0]?.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[3]).toBe(0);
    expect(data[(256 * 512 + 256) * 4 + 3]).toBe(255);
  });

  it("refuses on-model requests and says what to do", async () => {
    const error = await refusal(request({ onModel: true }));
    expect(error.kind).toBe("invalid_request");
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("The studio provider cannot put products on people; choose an AI provider.");
  });

  it("refuses a busy background with the cut-out's reason", async () => {
    const busy = await busyPackshot();
    const error = await refusal(request({ references: [{ data: busy.photo, mimeType: "image/jpeg", filename: "busy.jpg" }] }));
    expect(error.kind).toBe("invalid_request");
    expect(error.message).toMatch(/% of the border varies/);
  });

  it("turns a hostile photo into an invalid_request with the merchant message", async () => {
    const { svgWithScript } = await hostileInputs();
    const error = await refusal(request({ references: [{ data: svgWithScript, mimeType: "image/png", filename: "a.png" }] }));
    expect(error.kind).toBe("invalid_request");
    expect(error.message).toMatch(/SVG files aren't accepted/);
  });

  it("refuses requests it cannot honour", async () => {
    expect((await refusal(request({ references: [] }))).message).toMatch(/needs the product photo/);
    expect((await refusal(request({ n: 9 }))).kind).toBe("invalid_request");
    expect((await refusal(request({ size: "100x100" }))).kind).toBe("invalid_request");
    expect((await refusal(request({ mask: Buffer.alloc(1) }))).kind).toBe("invalid_request");
  });

  it("honours abort signals", async () => {
    const controller = new AbortController();
    controller.abort(new Error("cancelled by merchant"));
    await expect(provider.generate(request({ signal: controller.signal }))).rejects.toThrow("cancelled by merchant");
  });
});

describe("parseStudioSize", () => {
  it("accepts fixed, auto and in-bounds custom sizes", () => {
    expect(parseStudioSize("1536x1024")).toEqual({ width: 1536, height: 1024 });
    expect(parseStudioSize("auto")).toEqual({ width: 2048, height: 2048 });
    expect(parseStudioSize("800x1200")).toEqual({ width: 800, height: 1200 });
  });

  it.each(["4112x4112", "300x1200", "801x800", "big"])("refuses %s", (size) => {
    expect(() => parseStudioSize(size)).toThrow(ProviderError);
  });
});

describe("studio provider with a preset's scene", () => {
  it("renders the sage-green studio preset's backdrop in sage green", async () => {
    const sage = PRESET_LIBRARY.find((p) => p.id === "studio-sage");
    if (!sage) throw new Error("studio-sage preset missing");
    const lab = (rgb: readonly number[]) => {
      const out = new Float32Array(3);
      rgbToLab(rgb[0] ?? 0, rgb[1] ?? 0, rgb[2] ?? 0, out, 0);
      return out;
    };
    const target = lab([0xc9, 0xd3, 0xc0]);
    for (const seed of [1, 2, 3]) {
      const result = await provider.generate(request({ scene: sceneSpecFor(sage.studioScene), seed }));
      const image = result.images[0];
      if (!image) throw new Error("no image");
      // The wall band above the product, clear of the corners where the vignette darkens.
      const band = await sharp(image.data).extract({ left: 128, top: 16, width: 256, height: 48 }).removeAlpha().raw().toBuffer();
      const mean = [0, 1, 2].map((c) => {
        let sum = 0;
        for (let i = c; i < band.length; i += 3) sum += band[i] ?? 0;
        return Math.round(sum / (band.length / 3));
      });
      // Lighting and vignette move lightness by design; the hue and colourfulness must be the preset's.
      const seen = lab(mean);
      const chromaDistance = Math.hypot((seen[1] ?? 0) - (target[1] ?? 0), (seen[2] ?? 0) - (target[2] ?? 0));
      expect(chromaDistance).toBeLessThan(4);
      expect(deltaE(seen, 0, target, 0)).toBeLessThan(15);
      expect(result.images[0]?.revisedPrompt).toContain("#c9d3c0");
    }
  });
});
