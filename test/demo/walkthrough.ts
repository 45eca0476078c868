/**
 * `npm run demo -- --walkthrough`: the merchant's whole loop through the app's
 * own HTTP interface (the requests the embedded pages make, with the session
 * token App Bridge adds), printing each step and its result. A smoke test
 * anyone can run: it stops at the first step that does not do what it should.
 *
 * products → estimate → launch → progress → review queue → approve and mark an
 * A/B candidate → publish → the image is on the product in the local store.
 */
import type { BatchProgress } from "~/batches/progress.server";
import type { ProductReview } from "~/review/product-review.server";
import type { ReviewQueue } from "~/review/queue.server";

export interface WalkthroughTarget {
  appUrl: string;
  /** A fresh session token for the shop, as App Bridge would attach. */
  token(): string;
  /** Media on the product in the store right now (read from the store itself, not through the app). */
  productMediaCount(productGid: string): number;
  log(message: string): void;
  headers?: Record<string, string>;
  /** How long the worker may take for the batch and the publish. */
  timeoutMs?: number;
}

class WalkthroughError extends Error {}

export async function runWalkthrough(target: WalkthroughTarget): Promise<{ batchId: string; published: string }> {
  const deadline = Date.now() + (target.timeoutMs ?? 180_000);
  const request = async <T>(method: "GET" | "POST", path: string, routeId: string, form?: Record<string, string>): Promise<{ status: number; body: T; redirect: string | null }> => {
    const url = new URL(path, target.appUrl);
    url.searchParams.set("_data", routeId);
    const response = await fetch(url, {
      method,
      headers: { ...target.headers, Authorization: `Bearer ${target.token()}` },
      redirect: "manual",
      ...(form && { body: new URLSearchParams(form) }),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // A redirect or an error page: kept as text for the message.
    }
    return { status: response.status, body: body as T, redirect: response.headers.get("x-remix-redirect") };
  };
  const expectOk = (ok: boolean, what: string, detail: unknown) => {
    if (!ok) throw new WalkthroughError(`${what} failed: ${typeof detail === "string" ? detail.slice(0, 500) : JSON.stringify(detail).slice(0, 500)}`);
  };
  const until = async <T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new WalkthroughError(`${what} did not finish in time: ${JSON.stringify(value).slice(0, 500)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  const step = (n: number, message: string) => target.log(`${n}. ${message}`);

  const products = await request<{ ok: boolean; page: { products: { id: string; title: string; mediaCount: number }[] } }>("GET", "/app", "routes/app._index");
  expectOk(products.status === 200 && products.body.ok, "Reading the products", products.body);
  const chosen = products.body.page.products.filter((p) => p.mediaCount > 0).slice(0, 3);
  expectOk(chosen.length === 3, "Finding three products with a photo", products.body.page.products.length);
  step(1, `products: ${products.body.page.products.length} listed; chose ${chosen.map((p) => p.title).join(", ")}`);

  const batchRequest = {
    productGids: chosen.map((p) => p.id),
    presetIds: ["packshot-white"],
    candidatesPerProduct: 2,
    providerId: "studio",
    model: "studio-1",
    options: { size: "1024x1024", quality: "medium", format: "webp", background: "opaque", useReference: true, brandKit: false },
  };
  const estimate = await request<{ ok: boolean; reasons: string[]; plan: { items: number; costMicros: number; durationSeconds: number } | null }>(
    "POST", "/app/batches/new", "routes/app.batches.new", { intent: "estimate", request: JSON.stringify(batchRequest) },
  );
  expectOk(estimate.status === 200 && estimate.body.ok && estimate.body.plan !== null, "Estimating", estimate.body);
  const plan = estimate.body.plan!;
  step(2, `estimate: ${plan.items} images, $${(plan.costMicros / 1e6).toFixed(2)}, about ${plan.durationSeconds} s`);

  const launched = await request<unknown>("POST", "/app/batches/new", "routes/app.batches.new", { intent: "launch", request: JSON.stringify(batchRequest) });
  const batchId = /\/app\/batches\/([^/?]+)/.exec(launched.redirect ?? "")?.[1];
  expectOk(Boolean(batchId), "Launching", launched.body);
  step(3, `launched batch ${batchId}`);

  const progress = await until(
    "The batch",
    async () => (await request<{ progress: BatchProgress }>("GET", `/app/batches/${batchId}`, "routes/app.batches.$id")).body.progress,
    (p) => p.status === "completed" || p.status === "canceled",
  );
  expectOk(progress.status === "completed" && progress.counts.succeeded > 0, "Generating", progress.counts);
  step(4, `progress: ${progress.status}; ${progress.counts.succeeded} images made, ${progress.counts.failed} failed with a reason`);

  const queue = await request<{ queue: ReviewQueue }>("GET", "/app/review?tab=needs-review", "routes/app.review._index");
  expectOk(queue.status === 200 && queue.body.queue.rows.length > 0, "Opening the review queue", queue.body);
  const counts = queue.body.queue.counts;
  step(5, `review queue: ${counts["needs-review"]} need review across ${queue.body.queue.rows.length} products`);

  const row = queue.body.queue.rows.find((r) => r.images >= 2) ?? queue.body.queue.rows[0]!;
  const productPath = `/app/review/${row.productGid.split("/").pop()}`;
  const review = await request<{ review: ProductReview }>("GET", productPath, "routes/app.review.$productId");
  expectOk(review.status === 200, "Opening the product's review", review.body);
  const [first, second] = review.body.review.candidates;
  const act = async (intent: string, candidateId: string) => {
    const answer = await request<{ ok: boolean; message: string | null }>("POST", productPath, "routes/app.review.$productId", { intent, candidateId });
    expectOk(answer.status === 200 && answer.body.ok, `"${intent}"`, answer.body);
  };
  await act("approve", first!.id);
  if (second) await act("ab-on", second.id);
  const after = (await request<{ queue: ReviewQueue }>("GET", "/app/review", "routes/app.review._index")).body.queue.counts;
  expectOk(after.approved === counts.approved + 1 && after["needs-review"] === counts["needs-review"] - 1, "Counting the verdicts", after);
  step(6, `reviewed "${row.title}": approved one${second ? ", marked one as an A/B candidate" : ""}; queue now ${after["needs-review"]} to review, ${after.approved} approved, ${after.ab} A/B`);

  const mediaBefore = target.productMediaCount(row.productGid);
  await act("publish", first!.id);
  const published = await until(
    "Publishing",
    async () => (await request<{ publications: Record<string, { status: string; errorMessage: string | null }> }>("GET", productPath, "routes/app.review.$productId")).body.publications[first!.id],
    (p) => p !== undefined && p.status !== "publishing",
  );
  expectOk(published?.status === "published", "Publishing", published);
  const mediaAfter = target.productMediaCount(row.productGid);
  expectOk(mediaAfter === mediaBefore + 1, "Finding the image on the product", { mediaBefore, mediaAfter });
  step(7, `published: "${row.title}" now has ${mediaAfter} images in the store (was ${mediaBefore})`);
  return { batchId: batchId!, published: first!.id };
}
