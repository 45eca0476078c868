import { createServer, type Server } from "node:http";
import type { AddressInfo, LookupFunction } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImageFetcher, ImageFetchError, imageFetchPolicy, type ImageFetchPolicy } from "~/shopify/image-fetch.server";

/**
 * The product-photo fetcher as production configures it (no store
 * overrides: Shopify's CDN only). Every address trick that could reach the
 * app's own network is refused before a connection is made; the CDN's name
 * resolving to a private address is refused at connect time; a redirect is
 * checked like the first URL. A canary server on loopback must never be hit.
 */

let canary: { server: Server; origin: string; hits: number };
let trap: { server: Server; origin: string };

beforeAll(async () => {
  const state = { hits: 0 };
  const server = createServer((_req, res) => {
    state.hits += 1;
    res.end("internal secret");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  canary = {
    server,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get hits() {
      return state.hits;
    },
  };
  // An allowed origin (like the local store in tests) that redirects wherever the path says.
  const trapServer = createServer((req, res) => {
    const target = decodeURIComponent((req.url ?? "/").slice(1));
    res.writeHead(302, { location: target }).end();
  });
  await new Promise<void>((resolve) => trapServer.listen(0, "127.0.0.1", resolve));
  trap = { server: trapServer, origin: `http://127.0.0.1:${(trapServer.address() as AddressInfo).port}` };
});
afterAll(async () => {
  for (const server of [canary.server, trap.server]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const production = (lookup?: LookupFunction): ImageFetchPolicy => ({ ...imageFetchPolicy(undefined, { timeoutMs: 3_000 }), ...(lookup && { lookup }) });

async function refusal(fetchImage: (url: string) => Promise<Buffer>, url: string): Promise<ImageFetchError> {
  const error = await fetchImage(url).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, url).toBeInstanceOf(ImageFetchError);
  expect((error as ImageFetchError).message.length, url).toBeGreaterThan(20);
  return error as ImageFetchError;
}

/** A resolver that answers every name with `address`, as a hostile or misconfigured DNS would. */
const resolvingTo =
  (...addresses: string[]): LookupFunction =>
  (_hostname, _options, callback) =>
    (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(
      null,
      addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
    );

describe("product photos come only from Shopify's CDN", () => {
  it.each([
    "http://127.0.0.1/",
    "http://localhost/",
    "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://10.0.0.1/",
    "http://[::ffff:127.0.0.1]/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "data:image/png;base64,iVBORw0KGgo=",
    "ftp://cdn.shopify.com/x.png",
    "http://cdn.shopify.com/s/files/x.png",
    "https://cdn.shopify.com.evil.example/x.png",
    "https://evil.example/cdn.shopify.com/x.png",
    "https://cdn.shopify.com:8443/x.png",
    "https://user:pass@cdn.shopify.com/x.png",
    "https://cdn.shopify.com@127.0.0.1/x.png",
    "//cdn.shopify.com/x.png",
    "not a url",
  ])("refuses %s without connecting", async (url) => {
    const before = canary.hits;
    const error = await refusal(createImageFetcher(production()), url);
    expect(["invalid_url", "disallowed_origin", "private_address"]).toContain(error.code);
    expect(canary.hits).toBe(before);
  });

  it.each(["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "fd00::1", "::ffff:192.168.1.1", "100.64.0.1"])(
    "refuses the CDN's own name when DNS answers %s",
    async (address) => {
      const error = await refusal(createImageFetcher(production(resolvingTo(address))), "https://cdn.shopify.com/s/files/1/x.png");
      expect(error.code).toBe("private_address");
    },
  );

  it("refuses when any one of several DNS answers is private (no rebinding through round-robin)", async () => {
    const error = await refusal(createImageFetcher(production(resolvingTo("151.101.1.1", "127.0.0.1"))), "https://cdn.shopify.com/s/files/1/x.png");
    expect(error.code).toBe("private_address");
  });

  it.each([
    () => `${canary.origin}/internal`,
    () => "http://169.254.169.254/latest/meta-data/iam/",
    () => "file:///etc/passwd",
    () => "https://evil.example/x.png",
    () => "http://[::1]:22/",
  ])("checks redirects like the first address: %s", async (target) => {
    const before = canary.hits;
    const policy: ImageFetchPolicy = { ...production(), origins: [...production().origins, { origin: trap.origin, allowPrivateAddresses: true }] };
    const error = await refusal(createImageFetcher(policy), `${trap.origin}/${encodeURIComponent(target())}`);
    expect(["invalid_url", "disallowed_origin", "private_address"]).toContain(error.code);
    expect(canary.hits).toBe(before);
  });
});
