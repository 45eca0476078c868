import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { customersRedactSchema, redactCustomer } from "~/shops/privacy.server";
import { authenticate } from "~/shopify.server";
import { respondOnce } from "~/webhooks/receive.server";

/** We hold no customer records; A/B order events keyed by the named orders are erased (README, "Data we keep"). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticate.webhook(request);
  const parsed = customersRedactSchema.safeParse(context.payload);
  if (!parsed.success) return new Response("Unexpected customers/redact payload", { status: 400 });
  return respondOnce(context, async () => {
    await redactCustomer(db, context.shop, parsed.data.orders_to_redact);
  });
};
