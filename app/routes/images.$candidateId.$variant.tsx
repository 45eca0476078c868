import type { LoaderFunctionArgs } from "@remix-run/node";
import { candidateImage } from "~/review/candidate-image.server";
import { verifyImageUrl } from "~/review/image-urls.server";
import { imageDeps } from "~/review/services.server";

/**
 * Candidate images for <img> tags, which cannot carry the session token: the
 * signature the review loader made stands in for it (docs/decisions/006-image-urls.md).
 * Every refusal is the same bare 404, so a URL reveals nothing about other shops' images.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const now = new Date();
  const grant = verifyImageUrl(imageDeps.appSecret, { candidateId: params.candidateId, variant: params.variant, search: url.searchParams }, now);
  const image = grant && (await candidateImage(imageDeps, grant.shopId, grant.candidateId, grant.variant));
  if (!grant || !image) {
    return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  // A candidate's bytes never change, so the browser may keep them until the URL itself expires.
  const maxAge = Math.max(0, grant.expiresAt - Math.floor(now.getTime() / 1000));
  const download = url.searchParams.has("download");
  return new Response(new Uint8Array(image.body), {
    headers: {
      "Content-Type": image.contentType,
      "Content-Length": String(image.body.length),
      "Cache-Control": `private, max-age=${maxAge}, immutable`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Referrer-Policy": "no-referrer",
      ...(download && { "Content-Disposition": `attachment; filename="${image.filename}"` }),
    },
  });
};
