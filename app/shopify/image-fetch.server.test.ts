import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createImageFetcher,
  ImageFetchError,
  imageFetchPolicy,
  isPublicAddress,
  type ImageFetchPolicy,
} from "./image-fetch.server";

const PHOTO = Buffer.alloc(50_000, 0xab);
let allowed: { origin: string; server: Server; hits: string[] };
let elsewhere: { origin: string; server: Server; hits: string[] };

async function listen(handler: RequestListener): Promise<{ origin: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits };
}

beforeAll(async () => {
  elsewhere = await listen((_req, res) => res.end("secret"));
  allowed = await listen((req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    switch (url.pathname) {
      case "/s/files/1/0001/0002/0003/files/mug.png":
        res.writeHead(200, { "content-type": "image/png" });
        return res.end(PHOTO);
      case "/redirect-inside":
        res.writeHead(302, { location: "/s/files/1/0001/0002/0003/files/mug.png" });
        return res.end();
      case "/redirect-elsewhere":
        res.writeHead(302, { location: `${elsewhere.origin}/internal` });
        return res.end();
      case "/redirect-metadata":
        res.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" });
        return res.end();
      case "/redirect-loop":
        res.writeHead(302, { location: "/redirect-loop" });
        return res.end();
      case "/huge-declared":
        res.writeHead(200, { "content-length": String(5 * 1024 * 1024) });
        return res.end(Buffer.alloc(5 * 1024 * 1024));
      case "/huge-streamed": {
        // No content-length: the fetcher has to count while streaming.
        res.writeHead(200, { "content-type": "image/png" });
        let sent = 0;
        const push = () => {
          while (sent < 20 * 1024 * 1024 && !res.destroyed) {
            sent += 64 * 1024;
            if (!res.write(Buffer.alloc(64 * 1024))) return res.once("drain", push);
          }
          res.end();
        };
        return push();
      }
      case "/slow":
        return setTimeout(() => res.end(PHOTO), 2_000);
      case "/gone":
        res.writeHead(404);
        return res.end();
      default:
        res.writeHead(500);
        return res.end();
    }
  });
});
afterAll(async () => {
  for (const s of [allowed, elsewhere]) {
    s.server.closeAllConnections();
    await new Promise((resolve) => s.server.close(resolve));
  }
});

function policy(overrides: Partial<ImageFetchPolicy> = {}): ImageFetchPolicy {
  return {
    ...imageFetchPolicy(new Map([["demo.myshopify.com", `${allowed.origin}/stores/demo.myshopify.com`]]), {
      maxBytes: 1024 * 1024,
      timeoutMs: 500,
    }),
    ...overrides,
  };
}

async function refusal(url: string, p: ImageFetchPolicy = policy()): Promise<ImageFetchError> {
  const error = await createImageFetcher(p)(url).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageFetchError);
  return error as ImageFetchError;
}

describe("image fetch guard", () => {
  it("downloads a product photo from a configured store origin, following a redirect inside it", async () => {
    const fetchImage = createImageFetcher(policy());
    expect((await fetchImage(`${allowed.origin}/s/files/1/0001/0002/0003/files/mug.png`)).equals(PHOTO)).toBe(true);
    expect((await fetchImage(`${allowed.origin}/redirect-inside`)).equals(PHOTO)).toBe(true);
  });

  it("allows the Shopify CDN and the override origins only", () => {
    expect(policy().origins.map((o) => o.origin)).toEqual(["https://cdn.shopify.com", allowed.origin]);
  });

  it.each([
    ["another host", "https://evil.example/photo.png", "disallowed_origin", /hosted at evil\.example, which is not Shopify's image server/],
    ["the same host on another port", "http://127.0.0.1:9/photo.png", "disallowed_origin", /not Shopify's image server/],
    ["plain http to the CDN", "http://cdn.shopify.com/s/files/x.png", "disallowed_origin", /not Shopify's image server/],
    ["a file URL", "file:///etc/passwd", "invalid_url", /only be downloaded over the web \(http\/https\), not file/],
    ["a data URL", "data:image/png;base64,AAAA", "invalid_url", /not data/],
    ["credentials in the URL", "https://user:pw@cdn.shopify.com/x.png", "invalid_url", /user name or password/],
    ["not a URL", "::::", "invalid_url", /not a valid web address/],
  ])("refuses %s before connecting", async (_what, url, code, message) => {
    const before = allowed.hits.length + elsewhere.hits.length;
    const error = await refusal(url);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.retryable).toBe(false);
    expect(allowed.hits.length + elsewhere.hits.length).toBe(before);
  });

  it("refuses a redirect to a host that is not allowed, without contacting it", async () => {
    const error = await refusal(`${allowed.origin}/redirect-elsewhere`);
    expect(error.code).toBe("disallowed_origin");
    expect(elsewhere.hits).toEqual([]);
    expect((await refusal(`${allowed.origin}/redirect-metadata`)).message).toContain("169.254.169.254");
  });

  it("stops after the redirect limit", async () => {
    expect((await refusal(`${allowed.origin}/redirect-loop`)).code).toBe("too_many_redirects");
  });

  it("refuses bodies over the limit, by header and while streaming", async () => {
    const declared = await refusal(`${allowed.origin}/huge-declared`);
    expect(declared.code).toBe("too_large");
    expect(declared.message).toMatch(/larger than 1 MB/);
    const streamed = await refusal(`${allowed.origin}/huge-streamed`, policy({ timeoutMs: 5_000 }));
    expect(streamed.code).toBe("too_large");
  });

  it("gives up at the deadline and says a retry may help", async () => {
    const started = Date.now();
    const error = await refusal(`${allowed.origin}/slow`);
    expect(error.code).toBe("timeout");
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("explains a photo that no longer exists", async () => {
    const error = await refusal(`${allowed.origin}/gone`);
    expect([error.code, error.status, error.retryable]).toEqual(["http_status", 404, false]);
    expect(error.message).toMatch(/no longer exists/);
  });

  it("refuses the CDN's name when DNS answers with a private address", async () => {
    const rebinding = policy({
      lookup: ((_host: string, _options: unknown, callback: (e: null, a: { address: string; family: number }[]) => void) =>
        callback(null, [{ address: "10.0.0.7", family: 4 }])) as unknown as ImageFetchPolicy["lookup"],
    });
    const error = await refusal("https://cdn.shopify.com/s/files/1/0001/0002/0003/files/mug.png", rebinding);
    expect(error.code).toBe("private_address");
    expect(error.message).toMatch(/private network address/);
  });
});

describe("isPublicAddress", () => {
  it.each([
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.31.255.255", false],
    ["192.168.0.10", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["0.0.0.0", false],
    ["::1", false],
    ["fd00::1", false],
    ["fe80::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["23.227.38.32", true],
    ["2620:127:f00f:5::", true],
    ["not-an-ip", false],
  ])("%s → %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
