import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { recordUninstall } from "~/shops/install.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  // Verifies the HMAC; a forged delivery gets 401 before anything runs.
  const { shop } = await authenticate.webhook(request);
  // Deliveries can repeat and arrive after a reinstall's auth; both writes are idempotent.
  await recordUninstall(db, shop, new Date());
  return new Response();
};
