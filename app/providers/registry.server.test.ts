import { describe, expect, it } from "vitest";
import { createProviderRegistry, UnknownProviderError } from "./registry.server";

const NOW = new Date("2026-11-20T00:00:00Z");

describe("createProviderRegistry", () => {
  it("offers only the free studio when no provider key is set", () => {
    const registry = createProviderRegistry({}, () => NOW);
    const options = registry.options();
    expect(options.map((o) => [o.providerId, o.model, o.isDefault])).toEqual([["studio", "studio-1", true]]);
    expect(options[0]!.price.kind).toBe("free");
    expect(() => registry.create("openai", "gpt-image-2")).toThrow(UnknownProviderError);
  });

  it("adds each paid provider whose key is set, with capabilities and prices but never the key", () => {
    const registry = createProviderRegistry(
      { OPENAI_API_KEY: "sk-secret-openai", GEMINI_API_KEY: "secret-gemini", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
      () => NOW,
    );
    const options = registry.options();
    expect(new Set(options.map((o) => o.providerId))).toEqual(new Set(["studio", "openai", "gemini"]));
    expect(options.filter((o) => o.isDefault)).toHaveLength(1);
    const openai = options.find((o) => o.providerId === "openai" && o.model === "gpt-image-2");
    expect(openai?.capabilities.onModel).toBe(true);
    expect(openai?.price.kind).toBe("per-token");
    // A model past its shutdown date is not offered; one close to it says so.
    expect(options.some((o) => o.model === "gpt-image-1")).toBe(false);
    expect(options.find((o) => o.model === "gpt-image-1.5")?.notice).toMatch(/2026-12-01/);

    const serialized = JSON.stringify(options);
    expect(serialized).not.toContain("secret");
    expect(registry.create("gemini", "gemini-2.5-flash-image").id).toBe("gemini");
    expect(() => registry.create("gemini", "gpt-image-2")).toThrow(UnknownProviderError);
  });
});
