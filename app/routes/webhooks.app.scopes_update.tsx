import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { recordScopesUpdate } from "~/shops/install.server";

const payloadSchema = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload } = await authenticate.webhook(request);
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return new Response("Unexpected app/scopes_update payload", { status: 400 });
  await recordScopesUpdate(db, shop, parsed.data.current);
  return new Response();
};
