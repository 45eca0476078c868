import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { uninstallDeps } from "~/shops/services.server";
import { uninstallShop } from "~/shops/uninstall.server";
import { respondOnce } from "~/webhooks/receive.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  // Verifies the HMAC; a forged delivery gets 401 before anything runs.
  const context = await authenticate.webhook(request);
  // A few indexed writes: sessions go, open batches are canceled (running items finish, nothing new starts).
  return respondOnce(context, async () => {
    await uninstallShop(uninstallDeps, context.shop);
  });
};
