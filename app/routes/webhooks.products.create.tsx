import type { ActionFunctionArgs } from "@remix-run/node";
import { productCreated } from "~/automation/intake.server";
import { productPayloadSchema } from "~/automation/product-payload";
import { intakeDeps } from "~/automation/services.server";
import { authenticate } from "~/shopify.server";
import { parseTriggeredAt } from "~/webhooks/delivery.server";
import { respondOnce } from "~/webhooks/receive.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  // Verifies the HMAC; a forged delivery gets 401 before anything runs.
  const context = await authenticate.webhook(request);
  const parsed = productPayloadSchema.safeParse(context.payload);
  if (!parsed.success) return new Response("Unexpected products/create payload", { status: 400 });
  return respondOnce(context, async () => {
    await productCreated(intakeDeps, context.shop, parsed.data, parseTriggeredAt(context.triggeredAt));
  });
};
