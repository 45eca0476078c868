import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { PublishRefusedError } from "~/publish/publication";
import { publishCandidate, PublishRetryableError, undoPublication, type PublishDeps } from "~/publish/publish.server";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import type { LocalStore } from "../shopify-store/server";
import { startTestStore } from "../shopify-store/test-harness";
import { approvedCandidate, galleryOf, pngBytes, publishWorld, type PublishWorld } from "../support/publish-fixtures";
import { useTestDatabase } from "../support/use-test-database";

/**
 * The publish use cases with the app's real Admin client (offline session,
 * @shopify/shopify-api, outbound routing) against the local store, which
 * validates every operation against the real 2026-07 schema.
 */
const SHOP = "demo-store.myshopify.com";
const OTHER_SHOP = "other-store.myshopify.com";

describe("publishing candidates to product media", () => {
  const database = useTestDatabase({ emptyBeforeEach: false });
  let store: LocalStore;
  let world: PublishWorld;
  let shopId: string;
  const products: number[] = [];
  let next = 0;
  /** Each test works on its own product, so galleries never interfere. */
  const freshProduct = () => {
    const id = products[next++];
    if (id === undefined) throw new Error("out of products");
    return { id, gid: `gid://shopify/Product/${id}` };
  };
  const log = () => store.graphqlLog.filter((e) => e.shop === SHOP);
  const calls = (operation: string) => log().filter((e) => e.query.includes(operation)).length;

  beforeAll(async () => {
    store = await startTestStore({ shops: [SHOP, OTHER_SHOP], mediaTimings: { uploadedMs: 30, processingMs: 80, jobMs: 60 } });
    world = await publishWorld(store, database.db, database.url, [SHOP, OTHER_SHOP]);
    shopId = await world.shopId(SHOP);
    products.push(...[...store.data.shop(SHOP).products.values()].filter((p) => p.media.length >= 2).map((p) => p.id));
  });
  afterAll(async () => {
    await store?.close();
  });

  it("attaches the image at the end of the gallery, READY, with the candidate's alt text", async () => {
    const product = freshProduct();
    const before = galleryOf(store, SHOP, product.id);
    const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid });

    const publication = await publishCandidate(world.deps, { shopId, candidateId: candidate.id });

    expect(publication).toMatchObject({ status: "published", step: "ready", errorMessage: null });
    const after = galleryOf(store, SHOP, product.id);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ id: publication.shopifyMediaId, status: "READY", alt: "Ocean Shirt on a white seamless paper backdrop.", fileName: `pis-${candidate.id}.png` });
    const row = await database.db.candidate.findUniqueOrThrow({ where: { id: candidate.id } });
    expect(row).toMatchObject({ status: "published", shopifyMediaId: publication.shopifyMediaId });
    // Shopify's CDN serves the picture we uploaded (compared by colour, not bytes).
    const gallery = await (await world.deps.admin(SHOP)).request<{ node: { image: { url: string; width: number } } }, { id: string }>(
      "query Served($id: ID!) { node(id: $id) { ... on MediaImage { image { url width } } } }",
      { id: publication.shopifyMediaId! },
    );
    expect(gallery.node.image.width).toBe(640);
    const served = Buffer.from(await (await fetch(gallery.node.image.url)).arrayBuffer());
    const original = (await world.storage.get(candidate.storageKey))!.body;
    const means = async (bytes: Buffer) => (await sharp(bytes).stats()).channels.slice(0, 3).map((c) => c.mean);
    const [a, b] = [await means(served), await means(original)];
    a.forEach((mean, i) => expect(Math.abs(mean - b[i]!)).toBeLessThan(2));
  });

  it("describes the picture for screen readers even when the candidate has no alt text of its own", async () => {
    const product = freshProduct();
    const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid, altText: null });
    await publishCandidate(world.deps, { shopId, candidateId: candidate.id });
    const title = store.data.shop(SHOP).products.get(product.id)!.title;
    const preset = PRESET_LIBRARY.find((p) => p.id === "packshot-white")!;
    expect(galleryOf(store, SHOP, product.id).at(-1)!.alt).toBe(`${title}, ${preset.name.toLowerCase()}`);
  });

  it("makes the image the featured one through the reorder job, keeping the merchant's order behind it", async () => {
    const product = freshProduct();
    const before = galleryOf(store, SHOP, product.id);
    const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid });

    const publication = await publishCandidate(world.deps, { shopId, candidateId: candidate.id, makeFeatured: true });

    expect(publication).toMatchObject({ status: "published", step: "featured", makeFeatured: true });
    const after = galleryOf(store, SHOP, product.id);
    expect(after[0]!.id).toBe(publication.shopifyMediaId);
    expect(after.slice(1)).toEqual(before);
    expect(calls("productReorderMedia")).toBeGreaterThan(0);
    expect(calls("JobStatus")).toBeGreaterThan(0);
  });

  it("attaches a candidate once however often it is published", async () => {
    const product = freshProduct();
    const before = galleryOf(store, SHOP, product.id).length;
    const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid });
    const first = await publishCandidate(world.deps, { shopId, candidateId: candidate.id });
    const attachesAfterFirst = calls("ProductAttachMedia");
    const second = await publishCandidate(world.deps, { shopId, candidateId: candidate.id });
    expect(second.shopifyMediaId).toBe(first.shopifyMediaId);
    expect(calls("ProductAttachMedia")).toBe(attachesAfterFirst);
    expect(galleryOf(store, SHOP, product.id)).toHaveLength(before + 1);
  });

  it("finishes an interrupted publish on retry without attaching twice (answer to the attach lost)", async () => {
    const product = freshProduct();
    const before = galleryOf(store, SHOP, product.id).length;
    const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid });
    // The connection drops after Shopify attached the image but before its answer arrived.
    const flaky: PublishDeps = { ...world.deps, admin: async (shop) => dropAnswerOf("ProductAttachMedia", await world.deps.admin(shop)) };
    await expect(publishCandidate(flaky, { shopId, candidateId: candidate.id })).rejects.toBeInstanceOf(PublishRetryableError);
    const halfway = await database.db.publication.findUniqueOrThrow({ where: { candidateId: candidate.id } });
    expect(halfway).toMatchObject({ status: "publishing", step: "staged", errorCode: "UNEXPECTED" });
    expect(galleryOf(store, SHOP, product.id)).toHaveLength(before + 1);

    const stagedBefore = calls("StagedUploadCreate");
    const publication = await publishCandidate(world.deps, { shopId, candidateId: candidate.id });

    expect(publication).toMatchObject({ status: "published", errorMessage: null });
    expect(galleryOf(store, SHOP, product.id)).toHaveLength(before + 1);
    expect(galleryOf(store, SHOP, product.id).at(-1)!.id).toBe(publication.shopifyMediaId);
    expect(calls("StagedUploadCreate")).toBe(stagedBefore);
  });

  it("resumes from the staged upload when the attach never happened", async () => {
    const product = freshProduct();
    const before = galleryOf(store, SHOP, product.id).length;
    const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid });
    const failing: PublishDeps = { ...world.deps, admin: async (shop) => failBefore("ProductAttachMedia", await world.deps.admin(shop)) };
    await expect(publishCandidate(failing, { shopId, candidateId: candidate.id })).rejects.toBeInstanceOf(PublishRetryableError);
    expect(galleryOf(store, SHOP, product.id)).toHaveLength(before);

    const stagedBefore = calls("StagedUploadCreate");
    const publication = await publishCandidate(world.deps, { shopId, candidateId: candidate.id });
    expect(publication.status).toBe("published");
    expect(calls("StagedUploadCreate")).toBe(stagedBefore);
    expect(galleryOf(store, SHOP, product.id)).toHaveLength(before + 1);
  });

  it("refuses a corrupt image with Shopify's media error and leaves the gallery as it was", async () => {
    const product = freshProduct();
    const before = galleryOf(store, SHOP, product.id);
    const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid, bytes: randomBytes(4096) });

    await expect(publishCandidate(world.deps, { shopId, candidateId: candidate.id })).rejects.toBeInstanceOf(PublishRefusedError);

    const publication = await database.db.publication.findUniqueOrThrow({ where: { candidateId: candidate.id } });
    expect(publication).toMatchObject({ status: "failed", errorCode: "UNSUPPORTED_IMAGE_FILE_TYPE" });
    expect(publication.errorMessage).toContain("Image file type is not supported");
    expect(galleryOf(store, SHOP, product.id)).toEqual(before);
    expect((await database.db.candidate.findUniqueOrThrow({ where: { id: candidate.id } })).status).toBe("approved");
  });

  it("checks Shopify's size, pixel and format limits before uploading anything", async () => {
    const product = freshProduct();
    const cases = [
      { width: 6000, height: 5000, code: "INVALID_IMAGE_RESOLUTION" },
      { format: "tiff", code: "UNSUPPORTED_IMAGE_FILE_TYPE" },
    ];
    const stagedBefore = calls("StagedUploadCreate");
    for (const { code, ...metadata } of cases) {
      const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid, ...metadata });
      await expect(publishCandidate(world.deps, { shopId, candidateId: candidate.id })).rejects.toMatchObject({ code });
    }
    const big = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid });
    await database.db.candidate.update({ where: { id: big.id }, data: { bytes: 21 * 1024 * 1024 } });
    await expect(publishCandidate(world.deps, { shopId, candidateId: big.id })).rejects.toMatchObject({ code: "INVALID_IMAGE_FILE_SIZE", message: expect.stringContaining("20 MB") });
    expect(calls("StagedUploadCreate")).toBe(stagedBefore);
  });

  it("refuses a product that already has Shopify's maximum of 250 media", async () => {
    const product = freshProduct();
    const stored = store.data.shop(SHOP).products.get(product.id)!;
    const template = stored.media[0]!;
    while (stored.media.length < 250) stored.media.push({ ...template, id: store.data.nextId() });
    const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid });
    await expect(publishCandidate(world.deps, { shopId, candidateId: candidate.id })).rejects.toMatchObject({ code: "PRODUCT_MEDIA_LIMIT_EXCEEDED" });
    expect(stored.media).toHaveLength(250);
  });

  it("undo removes only the app's image and restores the gallery exactly", async () => {
    const product = freshProduct();
    const before = galleryOf(store, SHOP, product.id);
    const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid });
    const published = await publishCandidate(world.deps, { shopId, candidateId: candidate.id, makeFeatured: true });
    expect(galleryOf(store, SHOP, product.id)[0]!.id).toBe(published.shopifyMediaId);

    const undone = await undoPublication(world.deps, { shopId, candidateId: candidate.id });

    expect(undone).toMatchObject({ status: "undone", shopifyMediaId: null });
    expect(galleryOf(store, SHOP, product.id)).toEqual(before);
    expect(calls("FileUpdateReferences")).toBeGreaterThan(0);
    expect((await database.db.candidate.findUniqueOrThrow({ where: { id: candidate.id } })).status).toBe("approved");
    // Undo twice changes nothing; publishing again works from scratch.
    expect((await undoPublication(world.deps, { shopId, candidateId: candidate.id })).status).toBe("undone");
    const again = await publishCandidate(world.deps, { shopId, candidateId: candidate.id });
    expect(again.status).toBe("published");
    expect(galleryOf(store, SHOP, product.id)).toHaveLength(before.length + 1);
  });

  it("undo keeps the merchant's own reordering made after publishing", async () => {
    const product = freshProduct();
    const stored = store.data.shop(SHOP).products.get(product.id)!;
    const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid });
    await publishCandidate(world.deps, { shopId, candidateId: candidate.id, makeFeatured: true });
    // The merchant moves their last photo to the second place by hand.
    const moved = stored.media.pop()!;
    stored.media.splice(1, 0, moved);
    const merchantOrder = galleryOf(store, SHOP, product.id).filter((m) => !m.fileName.startsWith("pis-"));

    await undoPublication(world.deps, { shopId, candidateId: candidate.id });

    expect(galleryOf(store, SHOP, product.id)).toEqual(merchantOrder);
  });

  it("treats another shop's candidate like a missing one", async () => {
    const otherShopId = await world.shopId(OTHER_SHOP);
    const otherProduct = [...store.data.shop(OTHER_SHOP).products.values()][0]!;
    const theirs = await approvedCandidate(database.db, world.storage, { shopId: otherShopId, productGid: `gid://shopify/Product/${otherProduct.id}` });
    await expect(publishCandidate(world.deps, { shopId, candidateId: theirs.id })).rejects.toMatchObject({ code: "CANDIDATE_NOT_FOUND" });
    await expect(undoPublication(world.deps, { shopId, candidateId: theirs.id })).rejects.toMatchObject({ code: "NOT_PUBLISHED" });
    expect(await database.db.publication.count({ where: { candidateId: theirs.id } })).toBe(0);
  });

  it("refuses candidates the merchant has not approved", async () => {
    const product = freshProduct();
    const candidate = await approvedCandidate(database.db, world.storage, { shopId, productGid: product.gid, bytes: await pngBytes() });
    await database.db.candidate.update({ where: { id: candidate.id }, data: { status: "new" } });
    await expect(publishCandidate(world.deps, { shopId, candidateId: candidate.id })).rejects.toMatchObject({ code: "NOT_APPROVED" });
  });
});

/** Lets the named operation reach Shopify, then loses its answer. */
function dropAnswerOf(operation: string, admin: AdminGraphql): AdminGraphql {
  return {
    shop: admin.shop,
    async request(query, variables) {
      const answer = await admin.request(query, variables as never);
      if (query.includes(operation)) throw new Error("socket hang up");
      return answer as never;
    },
  };
}

/** Fails the named operation before it is sent. */
function failBefore(operation: string, admin: AdminGraphql): AdminGraphql {
  return {
    shop: admin.shop,
    async request(query, variables) {
      if (query.includes(operation)) throw new Error("connect ECONNREFUSED");
      return admin.request(query, variables as never);
    },
  };
}
