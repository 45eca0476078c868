import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { eraseShop } from "~/shops/install.server";

/** 48 hours after uninstall Shopify asks us to erase the shop; we erase all of it. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticate.webhook(request);
  await eraseShop(db, shop);
  return new Response();
};
