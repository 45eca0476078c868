import { describe, expect, it } from "vitest";
import { brandKitSchema } from "./brand-kit";

const messages = (input: unknown) => {
  const r = brandKitSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("brandKitSchema", () => {
  it("normalises colours and removes duplicates", () => {
    expect(
      brandKitSchema.parse({ enabled: true, palette: ["#1F3A5F", "#abc", "#aabbcc"], moodWords: [" calm ", "calm", "sun-lit"], avoid: ["neon colours"] }),
    ).toEqual({ enabled: true, palette: ["#1f3a5f", "#aabbcc"], moodWords: ["calm", "sun-lit"], avoid: ["neon colours"] });
  });

  it("rejects bad input with clear messages", () => {
    expect(messages({ enabled: true, palette: ["navy"], moodWords: [], avoid: [] })).toEqual([
      "palette.0: Palette colours must be hex codes like #1f3a5f",
    ]);
    expect(messages({ enabled: true, palette: Array(9).fill("#000000"), moodWords: [], avoid: [] })).toEqual([
      "palette: A palette can have at most 8 colours",
    ]);
    expect(messages({ enabled: true, palette: [], moodWords: Array(11).fill("calm"), avoid: [] })).toEqual([
      "moodWords: At most 10 mood words",
    ]);
    expect(messages({ enabled: true, palette: [], moodWords: ["x".repeat(31)], avoid: [] })).toEqual([
      "moodWords.0: A mood word must be at most 30 characters",
    ]);
    expect(messages({ enabled: true, palette: [], moodWords: [], avoid: ["<script>"] })).toEqual([
      "avoid.0: An avoid item may only contain letters, numbers, spaces and simple punctuation",
    ]);
    expect(messages({ enabled: true, palette: [], moodWords: [], avoid: Array(21).fill("text") })).toEqual([
      "avoid: At most 20 things to avoid",
    ]);
    expect(messages({ enabled: true, palette: [], moodWords: [], avoid: [], font: "Inter" })).toEqual([
      ": Unrecognized key(s) in object: 'font'",
    ]);
  });

  it("accepts non-Latin mood words", () => {
    expect(brandKitSchema.parse({ enabled: true, palette: [], moodWords: ["רגוע", "هادئ", "穏やか"], avoid: [] }).moodWords).toHaveLength(3);
  });
});
