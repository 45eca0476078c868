import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listExperiments, shopIdFor } from "~/experiments/services.server";
import { authenticate } from "~/shopify.server";
import { ExperimentList } from "~/ui/experiment-list";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { experiments: await listExperiments(await shopIdFor(session.shop)) };
};

export default function ExperimentsRoute() {
  const { experiments } = useLoaderData<typeof loader>();
  return <ExperimentList experiments={experiments} />;
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/route-error-boundary";
