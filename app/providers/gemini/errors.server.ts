import { ApiError } from "@google/genai";
import { ProviderError } from "~/generation/errors";

export const GEMINI_PROVIDER_ID = "gemini";

const provider = GEMINI_PROVIDER_ID;

interface GoogleErrorDetail {
  "@type"?: string;
  reason?: string;
  retryDelay?: string;
}

interface GoogleError {
  code?: number;
  message?: string;
  status?: string;
  details?: GoogleErrorDetail[];
}

/** The SDK's ApiError carries only a status and the JSON error body as its message. */
function parseGoogleError(message: string): GoogleError | undefined {
  try {
    const parsed = JSON.parse(message) as { error?: GoogleError };
    return parsed.error;
  } catch {
    return undefined;
  }
}

/** google.rpc.RetryInfo's retryDelay is a protobuf Duration in JSON: "37s", "1.5s". */
function retryDelayMs(details: GoogleErrorDetail[] | undefined): number | undefined {
  const delay = details?.find((d) => d["@type"]?.endsWith("google.rpc.RetryInfo"))?.retryDelay;
  const match = delay ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
  return match?.[1] ? Math.ceil(Number(match[1]) * 1000) : undefined;
}

/** An invalid API key arrives as 400 INVALID_ARGUMENT with ErrorInfo reason API_KEY_INVALID. */
function isKeyProblem(details: GoogleErrorDetail[] | undefined): boolean {
  return (
    details?.some((d) => d["@type"]?.endsWith("google.rpc.ErrorInfo") && /^API_KEY_/.test(d.reason ?? "")) ?? false
  );
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;

  if (isAbort(error)) {
    return new ProviderError("timeout", "Gemini did not answer before the deadline", { provider, cause: error });
  }
  if (error instanceof ApiError) {
    const status = error.status;
    const body = parseGoogleError(error.message);
    const message = body?.message ? `${body.status ?? status}: ${body.message}` : error.message;
    const options = { provider, status, cause: error };

    if (status === 429) {
      return new ProviderError("rate_limited", message, { ...options, retryAfterMs: retryDelayMs(body?.details) });
    }
    if (status === 401 || status === 403 || isKeyProblem(body?.details)) {
      return new ProviderError("authentication", message, options);
    }
    if (status === 408) return new ProviderError("timeout", message, options);
    if (status >= 500) return new ProviderError("transient", message, options);
    return new ProviderError("invalid_request", message, options);
  }
  if (error instanceof TypeError) {
    // undici reports unreachable hosts and dropped connections as TypeError("fetch failed").
    return new ProviderError("transient", `Could not reach Gemini: ${error.message}`, { provider, cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError("transient", `Unexpected failure calling Gemini: ${detail}`, { provider, cause: error });
}
