import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { z } from "zod";
import { batchRequestSchema, MAX_PRODUCTS_PER_BATCH, type BatchRequest } from "~/batches/batch-request";
import { estimate, launch, presetsFor, providerOptionsFor, shopIdFor } from "~/batches/services.server";
import { db } from "~/db.server";
import { MAX_CANDIDATES } from "~/generation/presets/variations";
import { getShopSettings } from "~/settings/settings.server";
import { authenticate } from "~/shopify.server";
import { BatchLaunchForm, type LaunchEstimate } from "~/ui/batch-launch-form";
import { jsonError } from "~/ui/json-error.server";
import { requireForm } from "~/ui/require-form.server";

const productsSchema = batchRequestSchema.shape.productGids;
const actionSchema = z.object({ intent: z.enum(["estimate", "launch"]), request: z.string().max(200_000) });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const ids = new URL(request.url).searchParams.getAll("product");
  const parsed = productsSchema.safeParse(ids);
  if (!parsed.success) {
    throw jsonError(400, `Choose between 1 and ${MAX_PRODUCTS_PER_BATCH} products from the Products page.`);
  }
  const shopId = await shopIdFor(session.shop);
  const cached = await db.productCache.findMany({
    where: { shopId, productGid: { in: parsed.data } },
    select: { productGid: true, title: true },
  });
  const titles = new Map(cached.map((p) => [p.productGid, p.title]));
  return {
    products: parsed.data.map((id) => ({ id, title: titles.get(id) ?? id })),
    presets: (await presetsFor(shopId)).map(({ id, name, category, requires }) => ({ id, name, category, requires })),
    providers: await providerOptionsFor(shopId),
    defaultPresetIds: (await getShopSettings(db, shopId)).defaultPresetIds,
    maxCandidates: MAX_CANDIDATES,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const form = actionSchema.safeParse(Object.fromEntries(await requireForm(request)));
  if (!form.success) return json({ ok: false, reasons: ["That request was not valid."], plan: null }, { status: 400 });
  let body: unknown;
  try {
    body = JSON.parse(form.data.request);
  } catch {
    return json({ ok: false, reasons: ["That request was not valid JSON."], plan: null }, { status: 400 });
  }
  const parsed = batchRequestSchema.safeParse(body);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join(".") || "request"}: ${issue.message}`);
    return json({ ok: false, reasons, plan: null }, { status: 400 });
  }
  const batchRequest: BatchRequest = parsed.data;
  const shopId = await shopIdFor(session.shop);
  if (form.data.intent === "estimate") {
    const result = await estimate(shopId, batchRequest);
    return json({ ok: result.ok, reasons: result.ok ? [] : result.reasons, plan: result.plan ?? null });
  }
  const created = await launch({ shop: session.shop, graphql: admin.graphql }, shopId, batchRequest);
  if (!created.ok) return json({ ok: false, reasons: created.reasons, plan: created.plan ?? null }, { status: 422 });
  // A client-side navigation inside the app: the embedded session travels with it.
  return redirect(`/app/batches/${created.batchId}`);
};

export default function NewBatchRoute() {
  const data = useLoaderData<typeof loader>();
  const estimateFetcher = useFetcher<typeof action>();
  const launched = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const send = (intent: "estimate" | "launch", request: BatchRequest) => {
    const form = { intent, request: JSON.stringify(request) };
    if (intent === "estimate") estimateFetcher.submit(form, { method: "post" });
    else submit(form, { method: "post" });
  };
  const estimateData = (estimateFetcher.data ?? null) as LaunchEstimate | null;
  const launchError = launched && !launched.ok ? launched.reasons.join(" ") : null;
  return (
    <BatchLaunchForm
      products={data.products}
      presets={data.presets}
      providers={data.providers}
      defaultPresetIds={data.defaultPresetIds}
      maxCandidates={data.maxCandidates}
      estimate={estimateData}
      estimating={estimateFetcher.state !== "idle"}
      launching={navigation.state === "submitting"}
      error={launchError}
      onEstimate={(request) => send("estimate", request)}
      onLaunch={(request) => send("launch", request)}
    />
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/route-error-boundary";
