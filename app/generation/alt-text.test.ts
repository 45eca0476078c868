import { describe, expect, it } from "vitest";
import { candidateAltText, colourName } from "./alt-text";
import { PRESET_LIBRARY } from "./presets/library";
import { planVariations } from "./presets/variations";

function preset(id: string) {
  const found = PRESET_LIBRARY.find((p) => p.id === id);
  if (!found) throw new Error(`${id} missing`);
  return found;
}

describe("candidateAltText", () => {
  it("names the product and the scene the AI was asked for", () => {
    const p = preset("lifestyle-kitchen");
    const [variation] = planVariations({ preset: p, count: 1, seed: 4 });
    if (!variation) throw new Error("no variation");
    const alt = candidateAltText({ productTitle: "Speckled Stoneware Mug", preset: p, variation, backdropFromSceneData: false, transparent: false });
    expect(alt).toBe(`Speckled Stoneware Mug in ${variation.scene}.`);
    expect(alt).not.toMatch(/Camera|Lighting|Keep the product/);
  });

  it("describes the drawn backdrop in colour words for the studio", () => {
    const p = preset("studio-sage");
    const [variation] = planVariations({ preset: p, count: 1, seed: 4 });
    if (!variation) throw new Error("no variation");
    expect(candidateAltText({ productTitle: "Mug", preset: p, variation, backdropFromSceneData: true, transparent: false })).toBe(
      "Mug on a sage green gradient backdrop.",
    );
  });

  it("says who wears the product and how, without scale jargon", () => {
    const p = preset("on-model-apparel");
    const [variation] = planVariations({ preset: p, count: 1, seed: 9, pinned: { skinTone: 8, ageRange: "25-34", bodyType: "plus-size" } });
    if (!variation?.model) throw new Error("no model");
    const alt = candidateAltText({ productTitle: "Crew Tee", preset: p, variation, backdropFromSceneData: false, transparent: false });
    expect(alt).toMatch(/^A model aged 25 to 34 with .+ skin and a .+ body type wearing Crew Tee, /);
    expect(alt).toContain(variation.model.pose);
    expect(alt).not.toContain("Monk");
  });

  it("says when the background is transparent", () => {
    const p = preset("packshot-transparent");
    const [variation] = planVariations({ preset: p, count: 1, seed: 1 });
    if (!variation) throw new Error("no variation");
    expect(candidateAltText({ productTitle: "Mug", preset: p, variation, backdropFromSceneData: false, transparent: true })).toBe(
      "Mug on a transparent background.",
    );
  });
});

describe("colourName", () => {
  it.each([
    ["#ffffff", "white"],
    ["#c9d3c0", "sage green"],
    ["#f2d4d0", "blush pink"],
    ["#3a3d42", "charcoal"],
    ["#c9775a", "terracotta"],
  ])("%s is %s", (hex, name) => {
    expect(colourName(hex)).toBe(name);
  });
});
