import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { texturedImage } from "../fixtures/images/make-fixtures";

/**
 * A provider account for the job benchmark, on the OpenAI Images wire format:
 * it grants R images a minute from a token bucket (a request without a token
 * gets a 429 with the time until the next one, as the API does), answers after
 * a jittered latency, and injects occasional 429s and 500s. Every answer is the
 * same image, rendered once so the server costs the benchmark almost no CPU: a
 * detailed 1024² PNG of about 1 MB, like a low-quality gpt-image answer, so the
 * workers decode, store and hold what they would in production (a flat
 * gradient of 50 KB would make them look cheaper than they are).
 */
export interface BenchProviderOptions {
  imagesPerMinute: number;
  latencyMs: { min: number; max: number };
  /** Chance per request of a 429 with a short retry-after that the limit did not cause. */
  injected429: number;
  injected500: number;
  apiKey: string;
}

export interface BenchProviderStats {
  requests: number;
  ok: number;
  /** 429s because a call came without a token: what the workers' pacing provoked. */
  provoked429: number;
  injected429: number;
  injected500: number;
  firstOkAt: number | null;
  lastOkAt: number | null;
}

export interface BenchProvider {
  baseURL: string;
  stats: BenchProviderStats;
  close(): Promise<void>;
}

const INJECTED_RETRY_AFTER_MS = 1_000;

function errorBody(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

export async function startBenchProvider(options: BenchProviderOptions): Promise<BenchProvider> {
  const image = (await texturedImage(1024, 1024, 30)).toString("base64");
  const stats: BenchProviderStats = { requests: 0, ok: 0, provoked429: 0, injected429: 0, injected500: 0, firstOkAt: null, lastOkAt: null };
  const refillPerMs = options.imagesPerMinute / 60_000;
  // Starts empty, like the workers' bucket the benchmark drains: no first-minute burst inflates the rate.
  const bucket = { tokens: 0, at: Date.now() };

  const take = (): number => {
    const now = Date.now();
    bucket.tokens = Math.min(options.imagesPerMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / refillPerMs);
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    // Drain the request body (multipart edits) before answering.
    for await (const _chunk of req);
    stats.requests += 1;
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
      send(res, 401, errorBody("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
      return;
    }
    const wait = take();
    if (wait > 0) {
      stats.provoked429 += 1;
      send(res, 429, errorBody("Rate limit reached for images per minute (IPM).", "requests", "rate_limit_exceeded"), { "retry-after-ms": String(wait) });
      return;
    }
    const roll = Math.random();
    if (roll < options.injected429) {
      stats.injected429 += 1;
      send(res, 429, errorBody("Rate limit reached for requests.", "requests", "rate_limit_exceeded"), { "retry-after-ms": String(INJECTED_RETRY_AFTER_MS) });
      return;
    }
    const { min, max } = options.latencyMs;
    await new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));
    if (roll < options.injected429 + options.injected500) {
      stats.injected500 += 1;
      send(res, 500, errorBody("The server had an error while processing your request.", "server_error", null));
      return;
    }
    stats.ok += 1;
    stats.firstOkAt ??= Date.now();
    stats.lastOkAt = Date.now();
    send(res, 200, {
      created: Math.floor(Date.now() / 1000),
      data: [{ b64_json: image }],
      background: "opaque",
      output_format: "png",
      quality: "low",
      size: "1024x1024",
      usage: { total_tokens: 300, input_tokens: 28, output_tokens: 272, input_tokens_details: { text_tokens: 28, image_tokens: 0 } },
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    stats,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
