import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../test/support/use-test-database";
import { requestPublication, requestUndoPublication } from "./publish.server";

describe("publication requests", () => {
  const database = useTestDatabase();

  async function candidate(domain: string, status = "approved") {
    const shop = await database.db.shop.upsert({ where: { domain }, create: { domain }, update: {} });
    const row = await database.db.candidate.create({
      data: {
        shopId: shop.id,
        productGid: "gid://shopify/Product/1",
        presetId: "packshot-white",
        providerId: "studio",
        model: "studio-1",
        seed: 1,
        status,
        storageKey: "k",
        thumbSmallKey: "k",
        thumbLargeKey: "k",
        format: "webp",
        width: 1024,
        height: 1024,
        bytes: 1000,
        perceptualHash: "0",
        promptHash: "0",
      },
    });
    return { shopId: shop.id, candidateId: row.id };
  }

  it("creates one publication however often it is requested", async () => {
    const ids = await candidate("a.myshopify.com");
    const first = await requestPublication(database.db, { ...ids, makeFeatured: true });
    const second = await requestPublication(database.db, { ...ids, makeFeatured: false });
    expect(first).toMatchObject({ needsRun: true, publication: { status: "publishing", step: "requested", makeFeatured: true } });
    expect(second.needsRun).toBe(true);
    expect(await database.db.publication.count()).toBe(1);
    const row = await database.db.publication.findFirstOrThrow();
    expect(row.fileName).toBe(`pis-${ids.candidateId}.webp`);

    await database.db.publication.update({ where: { id: row.id }, data: { status: "published" } });
    expect(await requestPublication(database.db, { ...ids, makeFeatured: true })).toMatchObject({ needsRun: false, publication: { status: "published" } });
  });

  it("keeps the step reached when a failed publication is requested again, and starts over after an undo", async () => {
    const ids = await candidate("a.myshopify.com");
    await requestPublication(database.db, { ...ids, makeFeatured: false });
    await database.db.publication.updateMany({ data: { status: "failed", step: "staged", stagedResourceUrl: "https://x/y", errorMessage: "boom" } });
    const retried = await requestPublication(database.db, { ...ids, makeFeatured: false });
    expect(retried.publication).toMatchObject({ status: "publishing", step: "staged", errorMessage: null });

    await database.db.publication.updateMany({ data: { status: "undone", step: "requested", shopifyMediaId: null } });
    expect((await requestPublication(database.db, { ...ids, makeFeatured: true })).publication).toMatchObject({ status: "publishing", step: "requested", makeFeatured: true });
  });

  it("refuses candidates that are not approved, and other shops' candidates like missing ones", async () => {
    const fresh = await candidate("a.myshopify.com", "new");
    await expect(requestPublication(database.db, { ...fresh, makeFeatured: false })).rejects.toMatchObject({ code: "NOT_APPROVED" });
    const theirs = await candidate("b.myshopify.com");
    await expect(requestPublication(database.db, { shopId: fresh.shopId, candidateId: theirs.candidateId, makeFeatured: false })).rejects.toMatchObject({ code: "CANDIDATE_NOT_FOUND" });
    await requestPublication(database.db, { ...theirs, makeFeatured: false });
    await database.db.publication.updateMany({ data: { status: "published" } });
    await expect(requestUndoPublication(database.db, { shopId: fresh.shopId, candidateId: theirs.candidateId })).rejects.toMatchObject({ code: "NOT_PUBLISHED" });
  });

  it("undo is recorded at once, once, and not while publishing", async () => {
    const ids = await candidate("a.myshopify.com");
    await requestPublication(database.db, { ...ids, makeFeatured: false });
    await expect(requestUndoPublication(database.db, ids)).rejects.toMatchObject({ code: "PUBLISH_IN_PROGRESS" });
    await database.db.publication.updateMany({ data: { status: "published" } });
    expect(await requestUndoPublication(database.db, ids)).toMatchObject({ needsRun: true, publication: { status: "undoing" } });
    expect(await requestUndoPublication(database.db, ids)).toMatchObject({ needsRun: true, publication: { status: "undoing" } });
    await expect(requestPublication(database.db, { ...ids, makeFeatured: false })).rejects.toMatchObject({ code: "UNDO_IN_PROGRESS" });
  });
});
