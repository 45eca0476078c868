/**
 * Shops, cached products and a product-photo server for the batch tests. The
 * photo is the fixture bottle packshot, made in code (test/fixtures/images).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "~/db/client.server";
import type { BatchRequest } from "~/batches/batch-request";
import { createImageFetcher, DEFAULT_IMAGE_FETCH_LIMITS, type FetchImage } from "~/shopify/image-fetch.server";
import { plainPackshots } from "../fixtures/images/make-fixtures";

export async function seedShop(db: Db, domain: string, monthlyBudgetMicros = 50_000_000) {
  return db.shop.create({ data: { domain, monthlyBudgetMicros: BigInt(monthlyBudgetMicros) } });
}

/** Products as the launch leaves them: facts cached for the shop, with a photo URL. */
export async function seedProducts(db: Db, shopId: string, count: number, photoUrl: string | null, firstId = 1000): Promise<string[]> {
  const gids = Array.from({ length: count }, (_, i) => `gid://shopify/Product/${firstId + i}`);
  for (const [i, gid] of gids.entries()) {
    await db.productCache.create({
      data: {
        shopId,
        productGid: gid,
        title: `Glass bottle ${i + 1}`,
        handle: `glass-bottle-${i + 1}`,
        descriptionHtml: "<p>A clear glass bottle with a cork stopper.</p>",
        productType: "Bottles",
        vendor: "Test Vendor",
        status: "ACTIVE",
        featuredImageUrl: photoUrl,
        mediaCount: photoUrl ? 1 : 0,
        shopifyUpdatedAt: new Date("2026-01-01T00:00:00Z"),
        fetchedAt: new Date(),
      },
    });
  }
  return gids;
}

export interface PhotoServer {
  url: string;
  /** The app's own photo fetcher, allowed to reach this server as it is the local store's. */
  fetchImage: FetchImage;
  requests: number;
  close(): Promise<void>;
}

export async function startPhotoServer(): Promise<PhotoServer> {
  const [packshot] = await plainPackshots();
  if (!packshot) throw new Error("no packshot fixture");
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    state.requests += 1;
    if (req.url !== "/bottle.jpg") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "image/jpeg", "content-length": packshot.photo.length }).end(packshot.photo);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/bottle.jpg`,
    fetchImage: createImageFetcher({ origins: [{ origin: `http://127.0.0.1:${port}`, allowPrivateAddresses: true }], ...DEFAULT_IMAGE_FETCH_LIMITS }),
    get requests() {
      return state.requests;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export function batchRequest(productGids: string[], overrides: Partial<BatchRequest> = {}): BatchRequest {
  return {
    productGids,
    presetIds: ["packshot-white"],
    candidatesPerProduct: 1,
    providerId: "studio",
    model: "studio-1",
    options: { size: "1024x1024", quality: "low", format: "png", background: "opaque", useReference: true, brandKit: false },
    ...overrides,
  };
}
