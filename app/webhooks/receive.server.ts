/**
 * The shared middle of every webhook route: after authenticate.webhook has
 * verified the HMAC, run the topic's effect once per delivery and answer.
 * Effects are short (a few indexed writes, an enqueue) so Shopify gets its
 * answer well inside its 5 s timeout; long work is a job.
 */
import { db } from "~/db.server";
import { oncePerDelivery, parseTriggeredAt, type DeliveryMeta } from "./delivery.server";

export interface VerifiedDelivery {
  shop: string;
  topic: string | number | symbol;
  webhookId: string;
  eventId?: string | undefined;
  triggeredAt?: string | undefined;
}

export function deliveryMeta(context: VerifiedDelivery): DeliveryMeta {
  return {
    shopDomain: context.shop,
    topic: String(context.topic),
    webhookId: context.webhookId,
    eventId: context.eventId,
    triggeredAt: parseTriggeredAt(context.triggeredAt) ?? undefined,
  };
}

/** 200 for the first delivery once its effect is done, and for every duplicate; a failing effect answers 500 so Shopify retries. */
export async function respondOnce(context: VerifiedDelivery, effect: () => Promise<void>): Promise<Response> {
  await oncePerDelivery(db, deliveryMeta(context), effect);
  return new Response();
}
