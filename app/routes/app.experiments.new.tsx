import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { createExperiment, ExperimentError, MAX_VARIANTS } from "~/experiments/experiments.server";
import { abCandidatesByProduct, experimentDeps, shopIdFor } from "~/experiments/services.server";
import { authenticate } from "~/shopify.server";
import { ExperimentNewForm } from "~/ui/experiment-new";
import { requireForm } from "~/ui/require-form.server";

const formSchema = z.object({
  productGid: z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/),
  candidateIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_VARIANTS),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { products: await abCandidatesByProduct(await shopIdFor(session.shop)), maxVariants: MAX_VARIANTS };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const form = await requireForm(request);
  const parsed = formSchema.safeParse({ productGid: form.get("productGid"), candidateIds: form.getAll("candidateId") });
  if (!parsed.success) return json({ error: `Choose a product and 1 to ${MAX_VARIANTS} of its A/B candidates.` }, { status: 400 });
  try {
    const experiment = await createExperiment(experimentDeps({ shop: session.shop, graphql: admin.graphql }), {
      shopId: await shopIdFor(session.shop),
      productGid: parsed.data.productGid,
      candidateIds: parsed.data.candidateIds,
    });
    return redirect(`/app/experiments/${experiment.id}`);
  } catch (error) {
    if (error instanceof ExperimentError) return json({ error: error.message }, { status: error.status });
    throw error;
  }
};

export default function NewExperimentRoute() {
  const { products, maxVariants } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <ExperimentNewForm products={products} maxVariants={maxVariants} error={result?.error} />;
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/route-error-boundary";
