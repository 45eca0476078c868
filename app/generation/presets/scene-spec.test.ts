import { describe, expect, it } from "vitest";
import { PRESET_LIBRARY } from "./library";
import { sceneSpecFor } from "./scene-spec";
import { LIGHT_DIRECTIONS } from "./types";

describe("sceneSpecFor", () => {
  it("carries the preset's hex colours, surface and effects", () => {
    const sage = PRESET_LIBRARY.find((p) => p.id === "studio-sage");
    if (!sage) throw new Error("studio-sage preset missing");
    expect(sceneSpecFor(sage.studioScene)).toEqual({
      surface: "gradient",
      colors: ["#c9d3c0", "#aebb9f"],
      light: "left",
      vignette: true,
      reflection: false,
    });
  });

  it("maps every preset light direction onto one the providers draw", () => {
    const base = { kind: "paper" as const, palette: ["#ffffff"], vignette: 0, reflection: 0.2 };
    const lights = LIGHT_DIRECTIONS.map((light) => sceneSpecFor({ ...base, light }).light);
    expect(lights).toEqual(["left", "right", "top", "top", "left", "right"]);
    expect(sceneSpecFor({ ...base, light: "front" })).toMatchObject({ vignette: false, reflection: true });
  });

  it("accepts every library preset's scene", () => {
    for (const preset of PRESET_LIBRARY) {
      const spec = sceneSpecFor(preset.studioScene);
      expect(spec.colors?.every((c) => /^#[0-9a-f]{6}$/.test(c))).toBe(true);
    }
  });
});
