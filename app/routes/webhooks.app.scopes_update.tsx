import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { recordScopesUpdate } from "~/shops/install.server";
import { respondOnce } from "~/webhooks/receive.server";

const payloadSchema = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await authenticate.webhook(request);
  const parsed = payloadSchema.safeParse(context.payload);
  if (!parsed.success) return new Response("Unexpected app/scopes_update payload", { status: 400 });
  return respondOnce(context, async () => {
    await recordScopesUpdate(db, context.shop, parsed.data.current);
  });
};
