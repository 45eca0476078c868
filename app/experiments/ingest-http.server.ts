import type { IncomingMessage, ServerResponse } from "node:http";
import { JournalBackloggedError } from "./ingest-journal.server";
import type { EventIngestor } from "./ingest.server";
import { MAX_BODY_BYTES, pixelPayloadSchema } from "./pixel-payload";

/**
 * The public ingestion endpoint's HTTP rules. The web pixel posts from
 * Shopify's sandbox (an origin we do not control, without cookies), so any
 * origin may post: the shop key in the body is the credential, not the origin.
 */
const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

function answer(status: number, message?: string, headers: Record<string, string> = {}): Answer {
  if (status === 204 || message === undefined) return { status, headers: { ...CORS, ...headers }, body: null };
  return { status, headers: { ...CORS, "Content-Type": "application/json", ...headers }, body: JSON.stringify({ message }) };
}

const DISCARD_CEILING_BYTES = 1024 * 1024;
const TOO_LARGE = `At most ${MAX_BODY_BYTES} bytes per request`;

/**
 * Reads at most `limit` bytes; null when the body is longer (chunked bodies
 * carry no length to check first). Past the limit the rest is discarded
 * rather than the connection cut, so the client gets its 413, up to a hard
 * ceiling beyond which a sender is cut off.
 */
async function readCapped(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > DISCARD_CEILING_BYTES) {
      await reader.cancel();
      return null;
    }
    if (size <= limit) parts.push(value);
  }
  return size > limit ? null : Buffer.concat(parts).toString("utf8");
}

/** readCapped for Node's own request stream. */
function readNodeCapped(request: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > DISCARD_CEILING_BYTES) {
        request.destroy();
        resolve(null);
        return;
      }
      if (size <= limit) parts.push(chunk);
    });
    request.on("end", () => resolve(size > limit ? null : Buffer.concat(parts).toString("utf8")));
    request.on("error", reject);
  });
}

async function answerPixel(
  method: string,
  declaredLength: string | null | undefined,
  readBody: () => Promise<string | null>,
  ingestor: EventIngestor,
  log: (message: string, error: unknown) => void,
): Promise<Answer> {
  if (method === "OPTIONS") return answer(204);
  if (method !== "POST") return answer(405, "POST events here", { Allow: "POST, OPTIONS" });
  if (Number(declaredLength ?? "0") > MAX_BODY_BYTES) return answer(413, TOO_LARGE, { Connection: "close" });
  const body = await readBody();
  if (body === null) return answer(413, TOO_LARGE);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return answer(400, "The body is not JSON");
  }
  const parsed = pixelPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return answer(400, `Invalid payload at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  try {
    const result = await ingestor.ingest(parsed.data);
    if (result.kind === "unknown_key") return answer(401, "Unknown pixel key");
    if (result.kind === "rate_limited") {
      return answer(429, "Too many events", { "Retry-After": String(Math.ceil(result.retryAfterMs / 1000)) });
    }
    return answer(204);
  } catch (error) {
    // A full disk or a loader far behind: nothing was acknowledged, so the pixel sends again.
    if (!(error instanceof JournalBackloggedError)) log("pixel events: journaling failed", error);
    return answer(503, "Not stored; send again", { "Retry-After": "1" });
  }
}

/** The endpoint as a Remix route serves it (`npm run dev`). */
export async function handlePixelRequest(request: Request, ingestor: EventIngestor, log: (message: string, error: unknown) => void): Promise<Response> {
  const result = await answerPixel(request.method, request.headers.get("content-length"), () => readCapped(request, MAX_BODY_BYTES), ingestor, log);
  return new Response(result.body, { status: result.status, headers: result.headers });
}

/**
 * The endpoint as `npm start` serves it: straight from Node's HTTP server,
 * ahead of Express and Remix, whose per-request work costs several times
 * what ingesting a batch does (see test/bench/ingest.bench.ts).
 */
export async function handlePixelNodeRequest(
  request: IncomingMessage,
  response: ServerResponse,
  ingestor: EventIngestor,
  log: (message: string, error: unknown) => void,
): Promise<void> {
  let result: Answer;
  try {
    result = await answerPixel(request.method ?? "GET", request.headers["content-length"], () => readNodeCapped(request, MAX_BODY_BYTES), ingestor, log);
  } catch (error) {
    log("pixel events: reading the request failed", error);
    result = answer(400, "The request could not be read", { Connection: "close" });
  }
  if (response.destroyed) return;
  response.writeHead(result.status, result.headers);
  response.end(result.body ?? undefined);
}
