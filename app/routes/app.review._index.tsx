import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { shopIdFor } from "~/batches/services.server";
import { db } from "~/db.server";
import { QUEUE_TABS, reviewQueue } from "~/review/queue.server";
import { authenticate } from "~/shopify.server";
import { jsonError } from "~/ui/json-error.server";
import { ReviewQueueView } from "~/ui/review-queue";

const querySchema = z.object({
  tab: z.enum(QUEUE_TABS).default("needs-review"),
  page: z.coerce.number().int().min(0).max(10_000).default(0),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw jsonError(400, "That queue view does not exist.");
  const shopId = await shopIdFor(session.shop);
  return { queue: await reviewQueue(db, shopId, query.data.tab, query.data.page) };
};

export default function ReviewQueueRoute() {
  const { queue } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [params, setParams] = useSearchParams();
  const go = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) next.set(key, value);
    setParams(next);
  };
  return (
    <ReviewQueueView
      queue={queue}
      loading={navigation.state === "loading"}
      onTab={(tab) => go({ tab, page: "0" })}
      onPage={(page) => go({ page: String(page) })}
    />
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/route-error-boundary";
