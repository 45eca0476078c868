import { z } from "zod";

/** Letters, digits, spaces and light punctuation; no control characters or markup. */
const PLAIN_PHRASE = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} '’&.,-]*$/u;

const phrase = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} cannot be empty`)
    .max(max, `${what} must be at most ${max} characters`)
    .regex(PLAIN_PHRASE, `${what} may only contain letters, numbers, spaces and simple punctuation`);

const hexColour = z
  .string()
  .trim()
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, "Palette colours must be hex codes like #1f3a5f")
  .transform((hex) =>
    (hex.length === 4 ? `#${hex[1]}${hex[1]}${hex[2]}${hex[2]}${hex[3]}${hex[3]}` : hex).toLowerCase(),
  );

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

export const brandKitSchema = z
  .object({
    enabled: z.boolean(),
    palette: z.array(hexColour).max(8, "A palette can have at most 8 colours").transform(unique),
    moodWords: z.array(phrase("A mood word", 30)).max(10, "At most 10 mood words").transform(unique),
    avoid: z.array(phrase("An avoid item", 80)).max(20, "At most 20 things to avoid").transform(unique),
  })
  .strict();

export type BrandKit = z.output<typeof brandKitSchema>;

export const EMPTY_BRAND_KIT: BrandKit = { enabled: false, palette: [], moodWords: [], avoid: [] };
