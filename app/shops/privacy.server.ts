/**
 * The customer privacy topics. The app keeps no names, emails or customer
 * ids; the storefront pixel stores an anonymous client id per visitor. The one
 * link to a person is an order: an A/B "order" event is keyed by its order id
 * (so it counts once). customers/redact erases those events for the orders
 * Shopify names; customers/data_request finds that the only data is the
 * anonymous event itself, which identifies no one.
 */
import { z } from "zod";
import type { Db } from "~/db/client.server";

const orderIds = z.array(z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String)).default([]);

export const customersRedactSchema = z.object({ orders_to_redact: orderIds });
export const customersDataRequestSchema = z.object({ orders_requested: orderIds });

/** Both spellings a storefront order id can take in an event's key. */
function orderKeys(ids: string[]): string[] {
  return ids.flatMap((id) => [`o:${id}`, `o:gid://shopify/Order/${id}`]);
}

export async function redactCustomer(db: Db, shopDomain: string, orderIdsToRedact: string[]): Promise<{ events: number }> {
  if (orderIdsToRedact.length === 0) return { events: 0 };
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) return { events: 0 };
  const { count } = await db.experimentEvent.deleteMany({ where: { shopId: shop.id, dedupeKey: { in: orderKeys(orderIdsToRedact) } } });
  return { events: count };
}

/** How many stored events the requested orders are linked to (their content is anonymous counts). */
export async function customerDataCount(db: Db, shopDomain: string, orderIdsRequested: string[]): Promise<number> {
  if (orderIdsRequested.length === 0) return 0;
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) return 0;
  return db.experimentEvent.count({ where: { shopId: shop.id, dedupeKey: { in: orderKeys(orderIdsRequested) } } });
}
