import { readlinkSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setPriority } from "node:os";
import { PassThrough } from "node:stream";
import { parentPort, workerData, type Worker } from "node:worker_threads";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext, type HandleDataRequestFunction } from "@remix-run/node";
import { isbot } from "isbot";
import { handlePixelNodeRequest } from "./experiments/ingest-http.server";
import { loadJournalHere, pixelIngestion } from "./experiments/ingest-service.server";
import { addDocumentResponseHeaders } from "./shopify.server";

export const streamTimeout = 5000;

/**
 * For `npm start` (server.mjs), which serves the storefront pixel's endpoint
 * from Node's HTTP server ahead of Express and Remix, and loads its journal
 * into the database in a thread that `startThread` starts with this build
 * (there it calls `runJournalLoaderThread`). Called at start-up, so the loader
 * also picks up what a previous process left unloaded.
 */
export function pixelEventsEndpoint(startThread: (workerData: { writer: string }) => Worker) {
  const log = (message: string, error: unknown) => console.error(message, error);
  const ingestion = pixelIngestion((writer) => {
    let stopping = false;
    let thread: Worker;
    const start = () => {
      thread = startThread({ writer });
      thread.on("error", (error) => log("pixel events: the journal loader thread failed", error));
      thread.on("exit", (code) => {
        if (stopping) return;
        // Nothing is lost (it is all in the journal); loading resumes where it stopped.
        log(`pixel events: the journal loader thread exited (${code}); starting it again`, null);
        setTimeout(start, 1_000).unref();
      });
    };
    start();
    return {
      stop: () =>
        new Promise<void>((resolve) => {
          stopping = true;
          thread.once("exit", () => resolve());
          thread.postMessage("stop");
        }),
    };
  });
  return {
    handle: (request: IncomingMessage, response: ServerResponse) => handlePixelNodeRequest(request, response, ingestion.ingestor, log),
    shutdown: () => ingestion.stop(),
  };
}

/**
 * Loading can wait; answering shoppers' requests cannot. On Linux a thread has
 * its own nice value, so under a peak the loader gets what CPU the requests
 * leave and catches up after, and when idle it still gets all it asks for.
 */
function lowerThisThreadsPriority() {
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(threadId)) setPriority(threadId, 10);
  } catch {
    // Not Linux, or not permitted: the loader runs at the same priority.
  }
}

/** The journal loader thread's body: loads until the parent says stop, then loads what is left and ends. */
export function runJournalLoaderThread() {
  const port = parentPort;
  if (!port) throw new Error("runJournalLoaderThread runs in a worker thread");
  lowerThisThreadsPriority();
  const loading = loadJournalHere((workerData as { writer: string }).writer);
  port.once("message", () => {
    void loading.stop().finally(() => process.exit(0));
  });
}

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
