import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { customerDataCount, customersDataRequestSchema } from "~/shops/privacy.server";
import { authenticate } from "~/shopify.server";
import { respondOnce } from "~/webhooks/receive.server";

/**
 * We keep no names, emails or customer ids (README, "Data we keep"). The only
 * records linked to a customer are anonymous A/B order events keyed by order
 * id; the count is logged so the operator can answer the merchant, whose
 * answer to the customer is that the app holds no personal data about them.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticate.webhook(request);
  const parsed = customersDataRequestSchema.safeParse(context.payload);
  if (!parsed.success) return new Response("Unexpected customers/data_request payload", { status: 400 });
  return respondOnce(context, async () => {
    const events = await customerDataCount(db, context.shop, parsed.data.orders_requested);
    console.info(`[privacy] customers/data_request for ${context.shop}: ${events} anonymous order event(s), no personal data held`);
  });
};
