import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { batchProgress } from "~/batches/progress.server";
import { progressDeps, shopIdFor } from "~/batches/services.server";
import { authenticate } from "~/shopify.server";
import { jsonError } from "~/ui/json-error.server";

/** Progress is read from the database, so this sees every worker's items, wherever they run. */
const POLL_MS = 1_000;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;
const OPEN_STATUSES = new Set(["queued", "running"]);

/** Server-sent events: the batch's progress snapshot each time it changes, until the batch stops. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = z.string().min(1).max(64).safeParse(params.id);
  if (!id.success) throw jsonError(400, "That batch id is not valid.");
  const shopId = await shopIdFor(session.shop);
  const first = await batchProgress(progressDeps, shopId, id.data);
  if (!first) throw jsonError(404, "That batch does not exist.");

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      let quietMs = 0;
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(timer);
        controller.close();
      };
      const send = (snapshot: NonNullable<typeof first>) => {
        const data = JSON.stringify(snapshot);
        if (data === last) return false;
        last = data;
        controller.enqueue(encoder.encode(`data: ${data}\n\n`));
        return true;
      };
      send(first);
      const timer = setInterval(() => {
        batchProgress(progressDeps, shopId, id.data)
          .then((snapshot) => {
            if (closed) return;
            if (!snapshot) return close();
            quietMs = send(snapshot) ? 0 : quietMs + POLL_MS;
            if (quietMs >= KEEPALIVE_MS) {
              quietMs = 0;
              controller.enqueue(encoder.encode(": keep-alive\n\n"));
            }
            if (!OPEN_STATUSES.has(snapshot.status)) close();
          })
          .catch(close);
      }, POLL_MS);
      request.signal.addEventListener("abort", close);
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
};
