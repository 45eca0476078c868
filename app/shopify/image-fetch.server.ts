import type { LookupAddress, LookupOneOptions } from "node:dns";
import { lookup as dnsLookup } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

/** Shopify serves every product photo from here. */
export const SHOPIFY_CDN_ORIGIN = "https://cdn.shopify.com";

export interface AllowedOrigin {
  /** scheme://host[:port], as URL.origin prints it. */
  origin: string;
  /**
   * Only origins an operator configured (the local store) may resolve to
   * private or loopback addresses; for the public CDN such an answer means
   * DNS is pointing us at our own network.
   */
  allowPrivateAddresses: boolean;
}

export interface ImageFetchPolicy {
  origins: AllowedOrigin[];
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  /** Replaces DNS; tests use it to play a hostile resolver. */
  lookup?: LookupFunction;
}

/** Shopify accepts product images up to 20 MB; the original can be no larger. */
export const DEFAULT_IMAGE_FETCH_LIMITS = { maxBytes: 20 * 1024 * 1024, timeoutMs: 20_000, maxRedirects: 3 } as const;

/** The CDN plus the origins the local-store overrides point shops at (SHOPIFY_SHOP_ORIGIN_OVERRIDES). */
export function imageFetchPolicy(
  shopOriginOverrides: ReadonlyMap<string, string> | undefined,
  limits: Partial<Pick<ImageFetchPolicy, "maxBytes" | "timeoutMs" | "maxRedirects">> = {},
): ImageFetchPolicy {
  const configured = [...(shopOriginOverrides?.values() ?? [])].map((url) => ({
    origin: new URL(url).origin,
    allowPrivateAddresses: true,
  }));
  return {
    origins: [{ origin: SHOPIFY_CDN_ORIGIN, allowPrivateAddresses: false }, ...configured],
    ...DEFAULT_IMAGE_FETCH_LIMITS,
    ...limits,
  };
}

export type ImageFetchErrorCode =
  | "invalid_url"
  | "disallowed_origin"
  | "private_address"
  | "too_many_redirects"
  | "http_status"
  | "too_large"
  | "timeout"
  | "network";

/**
 * A product photo could not be downloaded. `message` is written for the
 * merchant; `retryable` says whether trying again later could help.
 */
export class ImageFetchError extends Error {
  override name = "ImageFetchError";
  readonly code: ImageFetchErrorCode;
  readonly retryable: boolean;
  readonly status?: number;

  constructor(code: ImageFetchErrorCode, message: string, options: { retryable?: boolean; status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.status = options.status;
  }
}

/** Addresses that are not the public internet: loopback, private, link-local (cloud metadata), CGNAT, multicast, reserved. */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, "ipv6");
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NON_PUBLIC.check(address, "ipv4");
  if (family !== 6) return false;
  // IPv4 inside IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d) is judged by the IPv4 address.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (embedded) return isPublicAddress(embedded);
  return !NON_PUBLIC.check(address, "ipv6");
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

function checkUrl(raw: string, base: URL | undefined, policy: ImageFetchPolicy): { url: URL; allowed: AllowedOrigin } {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new ImageFetchError("invalid_url", "The product photo's address is not a valid web address.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ImageFetchError("invalid_url", `Product photos can only be downloaded over the web (http/https), not ${url.protocol.replace(/:$/, "")}.`);
  }
  if (url.username || url.password) {
    throw new ImageFetchError("invalid_url", "The product photo's address contains a user name or password, so it was not downloaded.");
  }
  const allowed = policy.origins.find((o) => o.origin === url.origin);
  if (!allowed) {
    throw new ImageFetchError(
      "disallowed_origin",
      `The product photo is hosted at ${url.host}, which is not Shopify's image server, so it was not downloaded. Use a photo uploaded to Shopify.`,
    );
  }
  if (!allowed.allowPrivateAddresses && isIP(hostOf(url)) && !isPublicAddress(hostOf(url))) {
    throw privateAddress(url);
  }
  return { url, allowed };
}

function privateAddress(url: URL): ImageFetchError {
  return new ImageFetchError("private_address", `The product photo's server (${url.host}) points to a private network address, so it was not downloaded.`);
}

/**
 * Resolves through `lookup` and refuses non-public answers at connect time,
 * so the address checked is the address connected to (no DNS rebinding gap).
 */
function guardedLookup(lookup: LookupFunction, url: URL): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...(options as LookupOneOptions), all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = (Array.isArray(addresses) ? addresses : []) as LookupAddress[];
      const first = list[0];
      if (!first || list.some((a) => !isPublicAddress(a.address))) return callback(privateAddress(url), "", 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, first.address, first.family);
    });
  };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

async function readLimited(response: IncomingMessage, maxBytes: number, url: URL): Promise<Buffer> {
  const tooLarge = () =>
    new ImageFetchError("too_large", `The product photo at ${url.host} is larger than ${Math.round(maxBytes / (1024 * 1024))} MB, so it was not downloaded.`);
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response) {
    total += (chunk as Buffer).length;
    // Stop reading the moment the limit is passed; never buffer what will be refused.
    if (total > maxBytes) {
      response.destroy();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function get(url: URL, allowed: AllowedOrigin, policy: ImageFetchPolicy, signal: AbortSignal): Promise<IncomingMessage> {
  const lookup = policy.lookup ?? (dnsLookup as LookupFunction);
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "GET",
      agent: false,
      signal,
      headers: { accept: "image/*", "user-agent": "ProductImageryStudio/1 (+product photo fetch)" },
      lookup: allowed.allowPrivateAddresses ? lookup : guardedLookup(lookup, url),
    });
    req.once("response", resolve);
    req.once("error", reject);
    req.end();
  });
}

export type FetchImage = (url: string) => Promise<Buffer>;

/** Downloads product photos, refusing anything the policy does not allow at every hop. */
export function createImageFetcher(policy: ImageFetchPolicy): FetchImage {
  return async (raw) => {
    const signal = AbortSignal.timeout(policy.timeoutMs);
    let { url, allowed } = checkUrl(raw, undefined, policy);
    try {
      for (let hop = 0; ; hop++) {
        const response = await get(url, allowed, policy, signal);
        const status = response.statusCode ?? 0;
        if (REDIRECTS.has(status)) {
          response.resume();
          const location = response.headers.location;
          if (!location) throw new ImageFetchError("http_status", `The server at ${url.host} answered with a redirect without a destination.`, { status });
          if (hop >= policy.maxRedirects) {
            throw new ImageFetchError("too_many_redirects", `The product photo's address redirected more than ${policy.maxRedirects} times, so it was not downloaded.`);
          }
          ({ url, allowed } = checkUrl(location, url, policy));
          continue;
        }
        if (status !== 200) {
          response.resume();
          throw new ImageFetchError(
            "http_status",
            status === 404 || status === 410
              ? "The product photo no longer exists on Shopify. Re-upload the photo or choose another one."
              : `Shopify's image server answered HTTP ${status} for the product photo.`,
            { status, retryable: status === 429 || status >= 500 },
          );
        }
        return await readLimited(response, policy.maxBytes, url);
      }
    } catch (error) {
      if (error instanceof ImageFetchError) throw error;
      if (signal.aborted) {
        throw new ImageFetchError("timeout", `The product photo took longer than ${Math.round(policy.timeoutMs / 1000)} s to download. Try again later.`, {
          retryable: true,
          cause: error,
        });
      }
      if (error instanceof Error && error.cause instanceof ImageFetchError) throw error.cause;
      throw new ImageFetchError("network", `The product photo could not be downloaded from ${url.host}. Try again later.`, {
        retryable: true,
        cause: error,
      });
    }
  };
}
