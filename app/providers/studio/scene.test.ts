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

describe("resolveScene with explicit colours", () => {
  it("uses the given hex colours for wall, floor and accent", () => {
    const spec = resolveScene({ surface: "gradient", colors: ["#c9d3c0", "#aebb9f", "#445566"] }, createRng(3));
    expect(spec.wall).toEqual([0xc9, 0xd3, 0xc0]);
    expect(spec.floor).toEqual([0xae, 0xbb, 0x9f]);
    expect(spec.accent).toEqual([0x44, 0x55, 0x66]);
  });

  it("derives the floor from the wall colour when only one is given, even on a textured surface", () => {
    const spec = resolveScene({ surface: "wood", colors: ["#c9d3c0"] }, createRng(3));
    expect(spec.wall).toEqual([0xc9, 0xd3, 0xc0]);
    const [r, g, b] = spec.floor;
    expect(g).toBeGreaterThan(r);
    expect(g).toBeGreaterThan(b);
    expect(g).toBeLessThan(0xd3);
  });

  it("keeps the seed's other choices as they are without colours", () => {
    const plain = resolveScene({ surface: "gradient" }, createRng(9));
    const coloured = resolveScene({ surface: "gradient", colors: ["#c9d3c0"] }, createRng(9));
    expect({ ...coloured, wall: plain.wall, floor: plain.floor, accent: plain.accent }).toEqual(plain);
  });

  it("refuses a colour that is not #rrggbb", () => {
    expect(() => resolveScene({ colors: ["sage"] }, createRng(1))).toThrow(/not #rrggbb/);
  });
});
