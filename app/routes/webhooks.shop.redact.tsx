import type { ActionFunctionArgs } from "@remix-run/node";
import { controlDeps } from "~/batches/services.server";
import { authenticate } from "~/shopify.server";
import { respondOnce } from "~/webhooks/receive.server";

/**
 * 48 hours after uninstall Shopify asks us to erase the shop. Erasing its
 * files can take longer than Shopify waits for an answer, so a job does it.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticate.webhook(request);
  return respondOnce(context, async () => {
    await controlDeps.queue.enqueue(
      { name: "erase-shop", payload: { shopDomain: context.shop } },
      { jobId: `erase-shop:${context.shop}:${context.webhookId}`, maxAttempts: 10 },
    );
  });
};
