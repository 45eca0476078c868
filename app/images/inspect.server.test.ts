import { beforeAll, describe, expect, it } from "vitest";
import {
  edgeCaseInputs,
  hostileInputs,
  type EdgeCaseInputs,
  type HostileInputs,
} from "../../test/fixtures/images/make-fixtures";
import { ImageInputError, type ImageInputErrorCode } from "./errors";
import { inspectImage, normalizeImage, sniffFormat } from "./inspect.server";

let hostile: HostileInputs;
let edge: EdgeCaseInputs;

beforeAll(async () => {
  [hostile, edge] = await Promise.all([hostileInputs(), edgeCaseInputs()]);
});

async function refusal(bytes: Buffer): Promise<ImageInputError> {
  const error = await normalizeImage(bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageInputError);
  return error as ImageInputError;
}

describe("hostile inputs are refused with a clear error", () => {
  const cases: [keyof HostileInputs, ImageInputErrorCode][] = [
    ["zeroByte", "empty"],
    ["textRenamedPng", "unsupported_format"],
    ["svgWithScript", "svg_refused"],
    ["truncatedJpeg", "corrupt"],
    ["truncatedPng", "corrupt"],
    ["corruptJpeg", "corrupt"],
    ["decompressionBomb", "too_many_pixels"],
    ["hugeDimensions", "too_many_pixels"],
    ["tooManyBytes", "too_many_bytes"],
  ];
  it.each(cases)("%s → %s", async (name, code) => {
    const error = await refusal(hostile[name]);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(false);
    expect(error.message.length).toBeGreaterThan(15);
  });

  it("refuses the bomb from its header, without decoding 2.7 GB", async () => {
    const started = performance.now();
    await expect(inspectImage(hostile.decompressionBomb)).rejects.toMatchObject({ code: "too_many_pixels" });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("honours custom limits", async () => {
    const photo = edge.png16;
    await expect(inspectImage(photo, { maxBytes: 100, maxPixels: 40e6 })).rejects.toMatchObject({ code: "too_many_bytes" });
    await expect(inspectImage(photo, { maxBytes: 20e6, maxPixels: 100 * 100 })).rejects.toMatchObject({
      code: "too_many_pixels",
    });
  });
});

describe("sniffFormat", () => {
  it("reads magic bytes, not names", () => {
    expect(sniffFormat(edge.cmykJpeg)).toBe("jpeg");
    expect(sniffFormat(edge.png16)).toBe("png");
    expect(sniffFormat(edge.animatedGif)).toBe("gif");
    expect(sniffFormat(edge.animatedWebp)).toBe("webp");
    expect(sniffFormat(hostile.svgWithScript)).toBe("svg");
    expect(sniffFormat(Buffer.from("  \n<svg onload='x'/>"))).toBe("svg");
    expect(sniffFormat(hostile.textRenamedPng)).toBeNull();
  });
});

describe("edge cases are normalised explicitly", () => {
  it("converts CMYK to sRGB with the colour intact", async () => {
    const result = await normalizeImage(edge.cmykJpeg);
    expect(result.info.space).toBe("cmyk");
    expect(result.image.channels).toBe(3);
    const [r, g, b] = result.image.data;
    // #cc3333 after a CMYK round trip through the default profiles.
    expect(Math.abs((r ?? 0) - 0xcc)).toBeLessThan(12);
    expect(Math.abs((g ?? 0) - 0x33)).toBeLessThan(25);
    expect(Math.abs((b ?? 0) - 0x33)).toBeLessThan(25);
    expect(result.notes.join(" ")).toMatch(/CMYK/);
  });

  it("reduces 16-bit to 8-bit", async () => {
    const result = await normalizeImage(edge.png16);
    expect(result.info.depth).toBe(16);
    expect(result.image.data.length).toBe(result.image.width * result.image.height * result.image.channels);
    expect(result.notes.join(" ")).toMatch(/16-bit/);
  });

  it("applies EXIF orientation 6 (90° clockwise)", async () => {
    const result = await normalizeImage(edge.exifRotatedJpeg);
    expect(result.info.orientation).toBe(6);
    expect([result.image.width, result.image.height]).toEqual([200, 300]);
    // The stored top band is now down the right-hand side.
    const at = (x: number, y: number) => result.image.data[(y * result.image.width + x) * 3] ?? 0;
    const green = (x: number, y: number) => result.image.data[(y * result.image.width + x) * 3 + 1] ?? 0;
    expect(at(190, 150)).toBeGreaterThan(200);
    expect(green(190, 150)).toBeLessThan(60);
    expect(green(10, 150)).toBeGreaterThan(200);
  });

  it.each(["animatedGif", "animatedWebp"] as const)("%s: first frame, and says so", async (name) => {
    const result = await normalizeImage(edge[name]);
    expect(result.info.pages).toBe(3);
    expect(result.framesUsed).toBe(1);
    expect([result.image.width, result.image.height]).toEqual([64, 48]);
    expect(result.notes.join(" ")).toMatch(/3 frames; only the first/);
    // First frame is red.
    expect(result.image.data[0]).toBeGreaterThan(240);
    expect(result.image.data[1]).toBeLessThan(15);
  });

  it("expands grey+alpha to RGBA and keeps the alpha", async () => {
    const result = await normalizeImage(edge.greyAlphaPng);
    expect(result.image.channels).toBe(4);
    expect(Math.abs((result.image.data[3] ?? 0) - 128)).toBeLessThanOrEqual(1);
  });
});
