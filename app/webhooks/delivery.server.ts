/**
 * Exactly-once effects for webhooks. Shopify delivers at least once: a
 * delivery is retried with the same X-Shopify-Webhook-Id until we answer 2xx
 * (up to 8 times over 4 hours), and one event reaches every subscription with
 * the same X-Shopify-Event-Id. The first arrival inserts a row; every later
 * one hits the unique key and is acknowledged without acting.
 */
import type { Db } from "~/db/client.server";

export interface DeliveryMeta {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId?: string | undefined;
  triggeredAt?: Date | undefined;
}

/** How long delivery ids are kept: longer than Shopify's 4-hour retry window, with a wide margin. */
export const DELIVERY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

function isUniqueViolation(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === "P2002" || /UNIQUE constraint failed|duplicate key value/i.test(message ?? "");
}

/** Records the delivery; "duplicate" when this delivery (or another delivery of its event) was already taken. */
export async function claimDelivery(db: Db, meta: DeliveryMeta): Promise<{ outcome: "first"; id: string } | { outcome: "duplicate" }> {
  try {
    const row = await db.webhookDelivery.create({
      data: {
        shopDomain: meta.shopDomain,
        topic: meta.topic,
        webhookId: meta.webhookId,
        eventId: meta.eventId ?? null,
        triggeredAt: meta.triggeredAt ?? null,
      },
      select: { id: true },
    });
    return { outcome: "first", id: row.id };
  } catch (error) {
    if (isUniqueViolation(error)) return { outcome: "duplicate" };
    throw error;
  }
}

/**
 * The effect failed after the claim: forget the delivery so Shopify's retry
 * (our 500 asks for one) runs it again instead of being taken for a duplicate.
 */
export async function releaseDelivery(db: Db, id: string): Promise<void> {
  await db.webhookDelivery.deleteMany({ where: { id } });
}

/** Runs `effect` once per delivery; duplicates resolve without running it. */
export async function oncePerDelivery(db: Db, meta: DeliveryMeta, effect: () => Promise<void>): Promise<"done" | "duplicate"> {
  const claim = await claimDelivery(db, meta);
  if (claim.outcome === "duplicate") return "duplicate";
  try {
    await effect();
  } catch (error) {
    await releaseDelivery(db, claim.id);
    throw error;
  }
  return "done";
}

/** Old delivery ids can no longer be retried by Shopify; the scheduler tick prunes them. */
export async function pruneDeliveries(db: Db, now: Date): Promise<number> {
  const { count } = await db.webhookDelivery.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - DELIVERY_RETENTION_MS) } } });
  return count;
}

/** X-Shopify-Triggered-At as a Date; null when absent or unreadable. */
export function parseTriggeredAt(value: string | undefined): Date | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}
