import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listBatches } from "~/batches/list.server";
import { shopIdFor } from "~/batches/services.server";
import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { BatchList } from "~/ui/batch-list";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { batches: await listBatches(db, await shopIdFor(session.shop)) };
};

export default function BatchesRoute() {
  const { batches } = useLoaderData<typeof loader>();
  return <BatchList batches={batches} />;
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/route-error-boundary";
