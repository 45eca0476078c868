import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { db } from "~/db.server";
import { ExperimentError, pauseExperiment, requireExperiment, stopExperiment } from "~/experiments/experiments.server";
import { pendingStale } from "~/experiments/jobs";
import { experimentResults } from "~/experiments/results.server";
import { experimentDeps, requestApplyExperimentWinner, requestStartExperiment, shopIdFor } from "~/experiments/services.server";
import { authenticate } from "~/shopify.server";
import { ExperimentPage } from "~/ui/experiment-page";
import { jsonError } from "~/ui/json-error.server";
import { requireForm } from "~/ui/require-form.server";

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start") }),
  z.object({ intent: z.literal("pause") }),
  z.object({ intent: z.literal("stop") }),
  z.object({ intent: z.literal("apply"), arm: z.string().regex(/^[a-d]$/), deleteLosers: z.enum(["yes", "no"]).default("no") }),
]);

async function load(shopId: string, id: string) {
  try {
    return await requireExperiment(db, shopId, id);
  } catch (error) {
    if (error instanceof ExperimentError) throw jsonError(error.status, error.message);
    throw error;
  }
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shopId = await shopIdFor(session.shop);
  const experiment = await load(shopId, params.id ?? "");
  const analysis = await experimentResults(db, shopId, experiment);
  return {
    experiment: {
      id: experiment.id,
      productTitle: experiment.productTitle || experiment.productGid,
      status: experiment.status,
      startedAt: experiment.startedAt?.toISOString() ?? null,
      stoppedAt: experiment.stoppedAt?.toISOString() ?? null,
      lastError: experiment.lastError,
      pendingAction: experiment.pendingAction,
      pendingArmKey: experiment.pendingArmKey,
      pendingDeleteLosers: experiment.pendingDeleteLosers,
      pendingStale: pendingStale(experiment, new Date()),
      winnerArmKey: experiment.winnerArmKey,
      stopReason: experiment.stopReason,
      controlImageUrl: experiment.controlImageUrl,
      arms: experiment.arms.map(({ key, label, isControl, weight, imageUrl, fileStatus }) => ({ key, label, isControl, weight, imageUrl, fileStatus })),
    },
    analysis,
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const shopId = await shopIdFor(session.shop);
  const parsed = actionSchema.safeParse(Object.fromEntries(await requireForm(request)));
  if (!parsed.success) return json({ error: "That request was not valid." }, { status: 400 });
  const deps = experimentDeps({ shop: session.shop, graphql: admin.graphql });
  const id = params.id ?? "";
  try {
    const input = parsed.data;
    if (input.intent === "start") await requestStartExperiment(shopId, id);
    else if (input.intent === "pause") await pauseExperiment(deps, shopId, id);
    else if (input.intent === "stop") await stopExperiment(deps, shopId, id);
    else await requestApplyExperimentWinner(shopId, id, input.arm, { deleteLosers: input.deleteLosers === "yes" });
    return json({ error: null });
  } catch (error) {
    if (error instanceof ExperimentError) {
      if (error.status === 404) throw jsonError(404, error.message);
      return json({ error: error.message }, { status: error.status });
    }
    return json({ error: `Shopify did not accept the change: ${(error as Error).message}` }, { status: 502 });
  }
};

/** How often the page reloads while a start or apply runs in its job. */
const PENDING_POLL_MS = 2000;

export default function ExperimentRoute() {
  const { experiment, analysis } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const revalidator = useRevalidator();
  const pending = experiment.pendingAction !== null;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, PENDING_POLL_MS);
    return () => clearInterval(timer);
  }, [pending, revalidator]);
  return <ExperimentPage experiment={experiment} analysis={analysis} error={result?.error} />;
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/route-error-boundary";
