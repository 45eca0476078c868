import { describe, expect, it } from "vitest";
import { OPENAI_IMAGE_MODELS } from "./models";
import { sizeProblem } from "./sizes";

const gpt2 = OPENAI_IMAGE_MODELS["gpt-image-2"].sizes;
const gpt15 = OPENAI_IMAGE_MODELS["gpt-image-1.5"].sizes;

describe("sizeProblem", () => {
  it("accepts standard sizes and auto everywhere", () => {
    for (const size of ["1024x1024", "1536x1024", "1024x1536", "auto"]) {
      expect(sizeProblem(gpt2, size)).toBeNull();
      expect(sizeProblem(gpt15, size)).toBeNull();
    }
  });

  it("accepts custom sizes within gpt-image-2's rules, including the extremes", () => {
    for (const size of ["1536x864", "3840x2160", "2160x3840", "768x2304", "512x512"]) {
      expect(sizeProblem(gpt2, size)).toBeNull();
    }
  });

  it("names the broken rule for bad custom sizes", () => {
    expect(sizeProblem(gpt2, "1000x1000")).toMatch(/multiples of 16/);
    expect(sizeProblem(gpt2, "3840x1024")).toMatch(/aspect ratio/);
    expect(sizeProblem(gpt2, "4096x2304")).toMatch(/edges/);
    expect(sizeProblem(gpt2, "3840x2400")).toMatch(/total pixels/);
    expect(sizeProblem(gpt2, "1024 x 1024")).toMatch(/WIDTHxHEIGHT/);
    expect(sizeProblem(gpt15, "1536x864")).toMatch(/not supported/);
  });
});
