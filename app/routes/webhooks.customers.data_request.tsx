import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";

/**
 * The app stores nothing about customers (README, "Data we keep"), so there
 * is nothing to report to the merchant; acknowledging is the whole answer.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  await authenticate.webhook(request);
  return new Response();
};
