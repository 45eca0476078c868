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

function answer(status: number, message?: string, headers: Record<string, string> = {}): Response {
  if (status === 204 || message === undefined) return new Response(null, { status, headers: { ...CORS, ...headers } });
  return new Response(JSON.stringify({ message }), { status, headers: { ...CORS, "Content-Type": "application/json", ...headers } });
}

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

const DISCARD_CEILING_BYTES = 1024 * 1024;

export async function handlePixelRequest(request: Request, ingestor: EventIngestor, log: (message: string, error: unknown) => void): Promise<Response> {
  if (request.method === "OPTIONS") return answer(204);
  if (request.method !== "POST") return answer(405, "POST events here", { Allow: "POST, OPTIONS" });
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return answer(413, `At most ${MAX_BODY_BYTES} bytes per request`);
  const body = await readCapped(request, MAX_BODY_BYTES);
  if (body === null) return answer(413, `At most ${MAX_BODY_BYTES} bytes per request`);
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
    log("pixel events: storing failed", error);
    return answer(503, "Not stored; send again", { "Retry-After": "1" });
  }
}
