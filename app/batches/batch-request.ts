/**
 * What a merchant asks for when launching a batch. Shared by the launch form
 * (browser) and the use case (server), so both refuse the same input.
 */
import { z } from "zod";
import { MAX_CANDIDATES } from "~/generation/presets/variations";

/** One launch at most; larger catalogs are launched in several batches. */
export const MAX_PRODUCTS_PER_BATCH = 1000;
export const MAX_PRESETS_PER_BATCH = 10;

const productGid = z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/, "must be a Shopify product id");

export const generationOptionsSchema = z.object({
  size: z.string().regex(/^(auto|\d{2,5}x\d{2,5})$/, "must be auto or WIDTHxHEIGHT"),
  quality: z.enum(["low", "medium", "high", "auto"]),
  format: z.enum(["png", "jpeg", "webp"]),
  background: z.enum(["transparent", "opaque", "auto"]),
  useReference: z.boolean(),
  brandKit: z.boolean(),
  edit: z
    .object({
      sourceKey: z.string().min(1).max(1024),
      maskKey: z.string().min(1).max(1024),
      instruction: z.string().trim().min(3, "Say what should change in the region").max(1000),
      altText: z.string().max(1000).nullable(),
    })
    .optional(),
});

export const batchRequestSchema = z.object({
  productGids: z
    .array(productGid)
    .min(1, "Choose at least one product")
    .max(MAX_PRODUCTS_PER_BATCH, `At most ${MAX_PRODUCTS_PER_BATCH} products per batch`)
    .transform((ids) => [...new Set(ids)]),
  presetIds: z
    .array(z.string().min(1).max(100))
    .min(1, "Choose at least one preset")
    .max(MAX_PRESETS_PER_BATCH, `At most ${MAX_PRESETS_PER_BATCH} presets per batch`)
    .transform((ids) => [...new Set(ids)]),
  candidatesPerProduct: z.number().int().min(1).max(MAX_CANDIDATES, `At most ${MAX_CANDIDATES} candidates per product`),
  providerId: z.string().min(1).max(40),
  model: z.string().min(1).max(80),
  options: generationOptionsSchema,
  /** Optional spending cap for this batch, micro-dollars. */
  budgetCapMicros: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});

export type BatchRequest = z.output<typeof batchRequestSchema>;
