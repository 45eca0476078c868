import { z } from "zod";

/**
 * What the web pixel posts to the ingestion endpoint: one visitor's batch of
 * compact events for experiment products. The pixel's settings carry the
 * shop's key; Shopify's event id makes a re-sent event a no-op.
 */

/** Shopify sends product ids as numbers in some payloads and gid:// strings in others. */
const productId = z.union([
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  z.string().regex(/^(gid:\/\/shopify\/Product\/)?\d{1,20}$/, "a product id or gid://shopify/Product/<id>"),
]);

const pixelEvent = z
  .object({
    /** Shopify's event id. */
    id: z.string().min(1).max(128),
    type: z.enum(["view", "add_to_cart", "order"]),
    experimentId: z.string().min(1).max(64),
    arm: z.string().regex(/^[a-d]$/),
    productId,
    quantity: z.number().int().min(1).max(10_000).default(1),
    /** Order revenue for this product's lines, in the shop's currency (order events only). */
    revenue: z.number().finite().min(0).max(10_000_000).optional(),
    orderId: z.union([z.string().min(1).max(128), z.number().int().nonnegative()]).optional(),
  })
  .strict();

export const MAX_EVENTS_PER_REQUEST = 100;
/** Comfortably above 100 compact events; anything bigger is refused before parsing. */
export const MAX_BODY_BYTES = 64 * 1024;

export const pixelPayloadSchema = z
  .object({
    key: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    clientId: z.string().min(1).max(128),
    events: z.array(pixelEvent).min(1).max(MAX_EVENTS_PER_REQUEST),
  })
  .strict();

export type PixelPayload = z.infer<typeof pixelPayloadSchema>;
export type PixelEvent = PixelPayload["events"][number];

/** The numeric id of a product given as a number, a numeric string or a gid. */
export function productNumericId(id: number | string): string {
  const text = String(id);
  const match = /(\d+)$/.exec(text);
  if (!match) throw new Error(`Not a product id: ${text}`);
  return match[1]!.replace(/^0+(?=\d)/, "");
}

/**
 * The key an event is deduplicated by within its experiment: an order counts
 * once whichever event reports it (a reloaded thank-you page sends another
 * checkout_completed with a new id), everything else once per Shopify event id.
 * One pixel event may touch several experiments (an order with several
 * experiment products), so the experiment is part of the unique key too.
 */
export function dedupeKey(event: PixelEvent): string {
  if (event.type === "order" && event.orderId !== undefined) return `o:${event.orderId}`;
  return `e:${event.id}`;
}
