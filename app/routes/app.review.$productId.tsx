import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useFetchers, useLoaderData, useRevalidator, useSubmit } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { shopIdFor } from "~/batches/services.server";
import { db } from "~/db.server";
import { publicationStatuses, requestPublish, requestUndo } from "~/publish/services.server";
import { DECISIONS, decideCandidate } from "~/review/decide.server";
import { productReview } from "~/review/product-review.server";
import { nextProductToReview } from "~/review/queue.server";
import { editRegion, MAX_MASK_BYTES } from "~/review/edit-region.server";
import { regenerateSimilar } from "~/review/regenerate.server";
import { editRegionDeps, productReviewDeps, regenerateDeps, regionEditUnavailableFor } from "~/review/services.server";
import { authenticate } from "~/shopify.server";
import { jsonError } from "~/ui/json-error.server";
import { requireForm } from "~/ui/require-form.server";
import { ReviewProduct, type ReviewIntent } from "~/ui/review-product";

const productId = z.string().regex(/^\d{1,20}$/);
const actionSchema = z.object({
  intent: z.enum([...DECISIONS, "regenerate", "publish", "publish-featured", "undo", "edit-region"]),
  candidateId: z.string().min(1).max(64),
  // Region edits only: the brushed mask as a PNG data URL, and what should change there.
  mask: z
    .string()
    .max(Math.ceil((MAX_MASK_BYTES * 4) / 3) + 100)
    .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/)
    .optional(),
  instruction: z.string().trim().min(3).max(1000).optional(),
});

/** Polls while an image is on its way to (or off) the product, so the page shows when it lands. */
const PUBLICATION_POLL_MS = 1500;

const gidOf = (id: string) => `gid://shopify/Product/${id}`;
const reviewUrl = (gid: string) => `/app/review/${gid.split("/").pop()}`;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = productId.safeParse(params.productId);
  if (!id.success) throw jsonError(400, "That product id is not valid.");
  const shopId = await shopIdFor(session.shop);
  const review = await productReview(await productReviewDeps(shopId), shopId, gidOf(id.data));
  if (!review) throw jsonError(404, "That product has no images to review.");
  const next = await nextProductToReview(db, shopId, review.productGid);
  const editReasons = new Map<string, string | null>();
  const regionEdit: Record<string, string> = {};
  for (const candidate of review.candidates) {
    const key = `${candidate.providerId}|${candidate.model}`;
    if (!editReasons.has(key)) editReasons.set(key, await regionEditUnavailableFor(shopId, candidate.providerId, candidate.model));
    const reason = editReasons.get(key);
    if (reason) regionEdit[candidate.id] = reason;
  }
  const statuses = await publicationStatuses(shopId, review.candidates.map((c) => c.id));
  const publications = Object.fromEntries(
    Object.entries(statuses).map(([id, p]) => [id, { status: p.status, errorMessage: p.errorMessage, makeFeatured: p.makeFeatured }]),
  );
  return { review, nextProductUrl: next ? reviewUrl(next) : null, regionEdit, publications };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await requireForm(request)));
  if (!parsed.success) return json({ ok: false, message: "That request was not valid." }, { status: 400 });
  const shopId = await shopIdFor(session.shop);
  const { intent, candidateId } = parsed.data;
  if (intent === "regenerate") {
    const result = await regenerateSimilar(regenerateDeps({ shop: session.shop, graphql: admin.graphql }, shopId), shopId, candidateId);
    if (!result.ok) return json({ ok: false, message: result.reasons.join(" ") }, { status: "status" in result ? result.status : 422 });
    return json({ ok: true, message: "A similar image is on its way; it appears here when it is ready.", batchId: result.batchId });
  }
  if (intent === "edit-region") {
    const { mask, instruction } = parsed.data;
    if (!mask || !instruction) return json({ ok: false, message: "Brush over a region and say what should change there." }, { status: 400 });
    const bytes = Buffer.from(mask.slice(mask.indexOf(",") + 1), "base64");
    const result = await editRegion(editRegionDeps({ shop: session.shop, graphql: admin.graphql }, shopId), shopId, candidateId, { mask: bytes, instruction });
    if (!result.ok) return json({ ok: false, message: result.reasons.join(" ") }, { status: "status" in result ? result.status : 422 });
    return json({ ok: true, message: "Your edit is on its way; the edited image appears here as a new image when it is ready.", batchId: result.batchId });
  }
  if (intent === "publish" || intent === "publish-featured" || intent === "undo") {
    const [outcome] =
      intent === "undo" ? await requestUndo(shopId, [candidateId]) : await requestPublish(shopId, [candidateId], { makeFeatured: intent === "publish-featured" });
    if (!outcome?.ok) {
      const notFound = outcome?.code === "CANDIDATE_NOT_FOUND" || outcome?.code === "NOT_PUBLISHED";
      return json({ ok: false, message: outcome?.reason ?? "That image could not be found." }, { status: notFound ? 404 : 409 });
    }
    return json({ ok: true, message: null });
  }
  const result = await decideCandidate(db, shopId, candidateId, intent);
  if (!result.ok) return json({ ok: false, message: result.message }, { status: result.status });
  return json({ ok: true, message: null });
};

type ActionData = { ok: boolean; message: string | null };
const PENDING: Partial<Record<ReviewIntent, { status?: string; abCandidate?: boolean }>> = {
  approve: { status: "approved" },
  reject: { status: "rejected", abCandidate: false },
  reset: { status: "new" },
  "ab-on": { abCandidate: true },
  "ab-off": { abCandidate: false },
};

export default function ReviewProductRoute() {
  const { review, nextProductUrl, regionEdit, publications } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const submit = useSubmit();
  const fetchers = useFetchers();
  const [notice, setNotice] = useState<{ tone: "critical" | "success"; message: string } | null>(null);
  const [watching, setWatching] = useState<string[]>([]);

  // Each submission is its own fetcher, so quick key presses never cancel one another; a watcher
  // holds each one until it answers (persisted fetchers are dropped once idle and unwatched).
  const send = useCallback(
    (form: Record<string, string>) => {
      const key = `review:${form.candidateId}:${form.intent}:${Date.now()}:${Math.random()}`;
      setWatching((keys) => [...keys, key]);
      submit(form, { method: "post", navigate: false, fetcherKey: key });
    },
    [submit],
  );
  const onIntent = useCallback((candidateId: string, intent: ReviewIntent) => send({ intent, candidateId }), [send]);
  const settled = useCallback((key: string, data: ActionData | undefined) => {
    setWatching((keys) => keys.filter((k) => k !== key));
    if (data?.message) setNotice({ tone: data.ok ? "success" : "critical", message: data.message });
  }, []);

  const pending: Record<string, { status?: string; abCandidate?: boolean }> = {};
  for (const fetcher of fetchers) {
    const intent = fetcher.formData?.get("intent") as ReviewIntent | null;
    const id = fetcher.formData?.get("candidateId");
    if (typeof id === "string" && intent) pending[id] = { ...pending[id], ...PENDING[intent] };
  }

  const moving = Object.values(publications).some((p) => p.status === "publishing" || p.status === "undoing");
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, PUBLICATION_POLL_MS);
    return () => clearInterval(timer);
  }, [moving, revalidator]);

  return (
    <>
      {watching.map((key) => (
        <SubmissionWatcher key={key} fetcherKey={key} onSettled={settled} />
      ))}
      <ReviewProduct
        title={review.title}
        featuredImageUrl={review.featuredImageUrl}
        candidates={review.candidates}
        nextProductUrl={nextProductUrl}
        pending={pending}
        notice={notice}
        onDismissNotice={() => setNotice(null)}
        onIntent={onIntent}
        regionEditUnavailable={regionEdit}
        onEditRegion={(candidateId, mask, instruction) => send({ intent: "edit-region", candidateId, mask, instruction })}
        editSubmitting={fetchers.some((f) => f.state !== "idle" && f.formData?.get("intent") === "edit-region")}
        publications={publications}
      />
    </>
  );
}

/** Reports one submission's answer (a message for the merchant, or nothing) when it settles. */
function SubmissionWatcher({ fetcherKey, onSettled }: { fetcherKey: string; onSettled: (key: string, data: ActionData | undefined) => void }) {
  const fetcher = useFetcher<ActionData>({ key: fetcherKey });
  const started = useRef(false);
  useEffect(() => {
    if (fetcher.state !== "idle") started.current = true;
    else if (started.current || fetcher.data !== undefined) onSettled(fetcherKey, fetcher.data);
  }, [fetcher.state, fetcher.data, fetcherKey, onSettled]);
  return null;
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/route-error-boundary";
