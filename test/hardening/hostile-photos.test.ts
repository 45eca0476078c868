import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchProgress } from "~/batches/progress.server";
import { connectDb } from "~/db/client.server";
import { edgeCaseInputs, hostileInputs } from "../fixtures/images/make-fixtures";
import { SHOP_A, startStack, type Stack } from "../support/stack";

/**
 * Hostile product photos through the real path: the local store's CDN serves
 * them as the products' featured images, the built app launches a batch, and
 * the separate worker fetches (SSRF-guarded, size-capped) and decodes them.
 * Each must end its item once, with a reason the merchant can act on, and the
 * worker must live to finish everything else. The fixtures are made with
 * sharp at test time (test/fixtures/images/make-fixtures.ts says how each is built).
 */
describe("hostile product photos end their items with a clear reason, and the worker carries on", () => {
  let stack: Stack;
  let progress: BatchProgress | undefined;
  const gidFor = new Map<string, string>();

  beforeAll(async () => {
    stack = await startStack({ worker: true });
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
    const [hostile, edge] = await Promise.all([hostileInputs(), edgeCaseInputs()]);
    const photos: Record<string, Buffer> = {
      ...hostile,
      cmykJpeg: edge.cmykJpeg,
      png16: edge.png16,
      animatedGif: edge.animatedGif,
      animatedWebp: edge.animatedWebp,
    };
    const products = [...stack.store.data.shop(SHOP_A).products.values()].filter((p) => p.media.length > 0);
    const names = Object.keys(photos);
    expect(products.length).toBeGreaterThan(names.length);
    names.forEach((name, i) => {
      const product = products[i]!;
      const image = product.media[0]!.image;
      image.source = { kind: "bytes", bytes: photos[name]! };
      image.version += 1;
      gidFor.set(name, `gid://shopify/Product/${product.id}`);
    });
    // One ordinary product in the same batch: it must still be made.
    gidFor.set("ordinary", `gid://shopify/Product/${products[names.length]!.id}`);

    const launched = await stack.postData(SHOP_A, "/app/batches/new", "routes/app.batches.new", {
      intent: "launch",
      request: JSON.stringify({
        productGids: [...gidFor.values()],
        presetIds: ["packshot-white"],
        candidatesPerProduct: 1,
        providerId: "studio",
        model: "studio-1",
        options: { size: "1024x1024", quality: "low", format: "png", background: "opaque", useReference: true, brandKit: false },
      }),
    });
    const batchId = /\/app\/batches\/([^/?]+)/.exec(launched.headers.get("x-remix-redirect") ?? "")?.[1];
    expect(batchId, `${launched.status} ${await launched.text()}`).toBeTruthy();
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      progress = (await stack.loadData<{ progress: BatchProgress }>(SHOP_A, `/app/batches/${batchId}`, "routes/app.batches.$id")).body.progress;
      if (progress.status !== "queued" && progress.status !== "running") break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 240_000);
  afterAll(async () => stack?.close());

  it("finishes the batch: every item ended, none left running", () => {
    expect(progress?.status, stack.app.logs().slice(-4000)).toBe("completed");
    expect(progress!.counts.succeeded + progress!.counts.failed).toBe(gidFor.size);
  });

  it("refuses each broken or dangerous photo once, saying what is wrong with it", async () => {
    const db = await connectDb(stack.database.url);
    try {
      const items = await db.batchItem.findMany({ select: { productGid: true, status: true, attempts: true, errorKind: true, errorMessage: true } });
      const byName = Object.fromEntries([...gidFor].map(([name, gid]) => [name, items.find((i) => i.productGid === gid)]));
      const refused: [string, RegExp][] = [
        ["zeroByte", /empty/i],
        ["textRenamedPng", /isn't an image/i],
        ["svgWithScript", /SVG/],
        ["truncatedJpeg", /damaged or incomplete/i],
        ["truncatedPng", /damaged or incomplete/i],
        ["corruptJpeg", /damaged or incomplete/i],
        ["decompressionBomb", /megapixels/i],
        ["hugeDimensions", /megapixels/i],
        ["tooManyBytes", /larger than 20 MB/i],
      ];
      for (const [name, reason] of refused) {
        const item = byName[name];
        expect(item, name).toMatchObject({ status: "failed", attempts: 1 });
        expect(item!.errorKind, name).toBe("photo");
        expect(item!.errorMessage, name).toMatch(reason);
      }
      // Unusual but valid photos are read (colour converted, first frame used); they may still
      // fail later for an ordinary reason such as a product that cannot be cut out, never an internal one.
      for (const name of ["cmykJpeg", "png16", "animatedGif", "animatedWebp"]) {
        const item = byName[name];
        expect(item!.errorKind ?? null, `${name}: ${item!.errorMessage}`).not.toBe("internal");
        expect(item!.errorKind ?? null, `${name}: ${item!.errorMessage}`).not.toBe("photo");
      }
      expect(byName.ordinary).toMatchObject({ status: "succeeded" });
    } finally {
      await db.$disconnect();
    }
  });
});
