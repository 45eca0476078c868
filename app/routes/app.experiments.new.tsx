import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { createExperiment, ExperimentError, MAX_VARIANTS, newExperimentDefaults } from "~/experiments/experiments.server";
import { parseNewExperimentForm } from "~/experiments/new-experiment-form.server";
import { abCandidatesByProduct, experimentDeps, shopIdFor } from "~/experiments/services.server";
import { authenticate } from "~/shopify.server";
import { ExperimentNewForm } from "~/ui/experiment-new";
import { requireForm } from "~/ui/require-form.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = await shopIdFor(session.shop);
  return { products: await abCandidatesByProduct(shopId), maxVariants: MAX_VARIANTS, defaults: await newExperimentDefaults(db, shopId) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const form = await requireForm(request);
  const parsed = parseNewExperimentForm(form);
  if (!parsed.ok) return json({ error: parsed.error, fieldErrors: parsed.fieldErrors }, { status: 400 });
  try {
    const experiment = await createExperiment(experimentDeps({ shop: session.shop, graphql: admin.graphql }), { shopId: await shopIdFor(session.shop), ...parsed.input });
    return redirect(`/app/experiments/${experiment.id}`);
  } catch (error) {
    if (error instanceof ExperimentError) return json({ error: error.message, fieldErrors: {} }, { status: error.status });
    throw error;
  }
};

export default function NewExperimentRoute() {
  const { products, maxVariants, defaults } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <ExperimentNewForm products={products} maxVariants={maxVariants} defaults={defaults} error={result?.error} fieldErrors={result?.fieldErrors} />;
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/route-error-boundary";
