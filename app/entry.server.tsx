import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext, type HandleDataRequestFunction } from "@remix-run/node";
import { isbot } from "isbot";
import { addDocumentResponseHeaders } from "./shopify.server";

export const streamTimeout = 5000;

/**
 * The library allows the shop's admin, admin.shopify.com and Shopify's
 * internal development hosts to frame the app; production needs only the
 * first two. Pages with no shop (login) may not be framed at all.
 */
function frameAncestors(headers: Headers) {
  const shop = /^frame-ancestors https:\/\/([a-zA-Z0-9][a-zA-Z0-9.-]*) https:\/\/admin\.shopify\.com\b/.exec(headers.get("Content-Security-Policy") ?? "")?.[1];
  headers.set("Content-Security-Policy", shop ? `frame-ancestors https://${shop} https://admin.shopify.com;` : "frame-ancestors 'none';");
}

/** Loader and action data is one shop's: never kept by a shared cache. */
export const handleDataRequest: HandleDataRequestFunction = (response) => {
  if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "private, no-store");
  return response;
};

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  // Sets the frame-ancestors CSP for the shop's admin and Shopify's link headers; narrowed below.
  addDocumentResponseHeaders(request, responseHeaders);
  frameAncestors(responseHeaders);
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
