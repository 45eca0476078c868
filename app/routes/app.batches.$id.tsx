import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useRevalidator, useSubmit } from "@remix-run/react";
import { z } from "zod";
import { cancel, pause, resume, retryFailed } from "~/batches/control.server";
import { batchProgress } from "~/batches/progress.server";
import { controlDeps, presetsFor, progressDeps, shopIdFor } from "~/batches/services.server";
import { authenticate } from "~/shopify.server";
import { BatchPage, type BatchIntent } from "~/ui/batch-page";
import { jsonError } from "~/ui/json-error.server";
import { requireForm } from "~/ui/require-form.server";

const batchId = z.string().min(1).max(64);
const intentSchema = z.object({ intent: z.enum(["pause", "resume", "cancel", "retry"]) });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = batchId.safeParse(params.id);
  if (!id.success) throw jsonError(400, "That batch id is not valid.");
  const shopId = await shopIdFor(session.shop);
  const progress = await batchProgress(progressDeps, shopId, id.data);
  if (!progress) throw jsonError(404, "That batch does not exist.");
  const presets = await presetsFor(shopId);
  const presetNames = Object.fromEntries(presets.filter((p) => progress.presetIds.includes(p.id)).map((p) => [p.id, p.name]));
  return { progress, presetNames };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = batchId.safeParse(params.id);
  const parsed = intentSchema.safeParse(Object.fromEntries(await requireForm(request)));
  if (!id.success || !parsed.success) return json({ message: "That request was not valid." }, { status: 400 });
  const shopId = await shopIdFor(session.shop);
  const run = { pause, resume, cancel, retry: retryFailed }[parsed.data.intent];
  const result = await run(controlDeps, shopId, id.data);
  if (!result.ok) return json({ message: result.message }, { status: result.status });
  return json({ message: null });
};

export default function BatchRoute() {
  const { progress, presetNames } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const revalidator = useRevalidator();
  return (
    <BatchPage
      initial={progress}
      presetNames={presetNames}
      busy={navigation.state !== "idle"}
      error={actionData?.message ?? null}
      onIntent={(intent: BatchIntent) => submit({ intent }, { method: "post" })}
      onRevalidate={() => {
        if (revalidator.state === "idle") revalidator.revalidate();
      }}
    />
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/route-error-boundary";
