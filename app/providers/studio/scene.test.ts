import { describe, expect, it } from "vitest";
import { createRng } from "./prng";
import { resolveScene, sceneFromPrompt } from "./scene";

describe("sceneFromPrompt (fallback only)", () => {
  it("picks out surfaces, palettes, light and extras", () => {
    expect(sceneFromPrompt("Product on a wooden table, autumn mood, light from the left, with a vignette")).toEqual({
      surface: "wood",
      palette: "autumn",
      light: "left",
      vignette: true,
    });
    expect(sceneFromPrompt("Christmas marble flat lay, lit from above, reflective")).toMatchObject({
      surface: "marble",
      palette: "holiday",
      reflection: true,
    });
  });

  it("leaves everything open when nothing is recognised", () => {
    expect(sceneFromPrompt("make it pop")).toEqual({});
  });
});

describe("resolveScene", () => {
  it("keeps what was asked and is deterministic for a seed", () => {
    const a = resolveScene({ surface: "linen", light: "right" }, createRng(7));
    const b = resolveScene({ surface: "linen", light: "right" }, createRng(7));
    expect(a).toEqual(b);
    expect(a.surface).toBe("linen");
    expect(a.light).toBe("right");
  });

  it("varies the open choices across seeds", () => {
    const specs = Array.from({ length: 12 }, (_, seed) => resolveScene({}, createRng(seed)));
    expect(new Set(specs.map((s) => s.surface)).size).toBeGreaterThan(2);
    expect(new Set(specs.map((s) => s.textureSeed)).size).toBe(12);
  });
});
