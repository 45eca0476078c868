import { describe, expect, it } from "vitest";
import { handlePixelRequest } from "./ingest-http.server";
import type { EventIngestor, IngestResult } from "./ingest.server";

const valid = { key: "shop_key_0123456789abcdef", clientId: "c", events: [{ id: "e1", type: "view", experimentId: "x", arm: "a", productId: 1 }] };

function ingestor(result: IngestResult | Error) {
  return {
    ingest: async () => {
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as EventIngestor;
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://app/api/pixel/events", { method: "POST", body, headers, duplex: "half" } as RequestInit);
const accepted = ingestor({ kind: "accepted", events: 1, ignored: 0 });
const log = () => undefined;

describe("handlePixelRequest", () => {
  it("answers 204 with CORS for a valid batch and for the preflight", async () => {
    const ok = await handlePixelRequest(post(JSON.stringify(valid)), accepted, log);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("*");
    expect((await handlePixelRequest(new Request("http://app/api/pixel/events", { method: "OPTIONS" }), accepted, log)).status).toBe(204);
    expect((await handlePixelRequest(new Request("http://app/api/pixel/events"), accepted, log)).status).toBe(405);
  });
  it("refuses a streamed body past the limit with 413, without a declared length", async () => {
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode("x".repeat(10_000)));
        controller.close();
      },
    });
    expect((await handlePixelRequest(post(stream), accepted, log)).status).toBe(413);
    expect((await handlePixelRequest(post("{}", { "Content-Length": "999999" }), accepted, log)).status).toBe(413);
  });
  it("maps the outcomes: 400 malformed, 401 unknown key, 429 with Retry-After, 503 when storing failed", async () => {
    expect((await handlePixelRequest(post("{"), accepted, log)).status).toBe(400);
    expect((await handlePixelRequest(post(JSON.stringify({ ...valid, events: [{ ...valid.events[0], arm: "z" }] })), accepted, log)).status).toBe(400);
    expect((await handlePixelRequest(post(JSON.stringify(valid)), ingestor({ kind: "unknown_key" }), log)).status).toBe(401);
    const limited = await handlePixelRequest(post(JSON.stringify(valid)), ingestor({ kind: "rate_limited", retryAfterMs: 1500 }), log);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect((await handlePixelRequest(post(JSON.stringify(valid)), ingestor(new Error("disk full")), log)).status).toBe(503);
  });
});
