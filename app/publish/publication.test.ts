import { describe, expect, it } from "vitest";
import { isOurFile, publicationFileName, stepReached } from "./publication";
import { checkShopifyLimits, restoringMoves } from "./publish.server";

const ids = (...names: string[]) => names.map((id) => ({ id }));

describe("restoringMoves", () => {
  it("puts the merchant's media back in their earlier order when the gallery is as we left it", () => {
    // Before: a b c. We published x as featured and a later step left b first.
    expect(restoringMoves(ids("b", "a", "c"), ["a", "b", "c"], ["x", "b", "a", "c"], "x")).toEqual([{ id: "a", newPosition: 0 }]);
  });

  it("does nothing when the order is already the earlier one", () => {
    expect(restoringMoves(ids("a", "b", "c"), ["a", "b", "c"], ["x", "a", "b", "c"], "x")).toEqual([]);
  });

  it("keeps the merchant's order when they rearranged the gallery after we published", () => {
    expect(restoringMoves(ids("c", "a", "b"), ["a", "b", "c"], ["x", "a", "b", "c"], "x")).toEqual([]);
  });

  it("keeps the merchant's order when they added or removed media since", () => {
    expect(restoringMoves(ids("b", "a", "c", "d"), ["a", "b", "c"], ["x", "b", "a", "c"], "x")).toEqual([]);
    expect(restoringMoves(ids("b", "c"), ["a", "b", "c"], ["x", "b", "a", "c"], "x")).toEqual([]);
  });

  it("produces moves that, applied in order, give the earlier order", () => {
    const before = ["a", "b", "c", "d", "e"];
    const current = ["e", "c", "a", "d", "b"];
    const moves = restoringMoves(ids(...current), before, ["x", ...current], "x");
    const working = [...current];
    for (const move of moves) {
      working.splice(working.indexOf(move.id), 1);
      working.splice(move.newPosition, 0, move.id);
    }
    expect(working).toEqual(before);
  });
});

describe("checkShopifyLimits", () => {
  const ok = { format: "png", bytes: 1_000_000, width: 2048, height: 2048 };
  it("accepts what Shopify accepts", () => {
    expect(() => checkShopifyLimits(ok)).not.toThrow();
    expect(() => checkShopifyLimits({ ...ok, width: 5000, height: 5000 })).not.toThrow();
    expect(() => checkShopifyLimits({ ...ok, bytes: 20 * 1024 * 1024 })).not.toThrow();
  });
  it("refuses with Shopify's codes and a reason a merchant can act on", () => {
    expect(() => checkShopifyLimits({ ...ok, width: 5001, height: 5000 })).toThrow(expect.objectContaining({ code: "INVALID_IMAGE_RESOLUTION" }));
    expect(() => checkShopifyLimits({ ...ok, bytes: 20 * 1024 * 1024 + 1 })).toThrow(/up to 20 MB/);
    expect(() => checkShopifyLimits({ ...ok, format: "bmp" })).toThrow(expect.objectContaining({ code: "UNSUPPORTED_IMAGE_FILE_TYPE" }));
  });
});

describe("file names", () => {
  it("are unique per candidate and recognised after Shopify de-duplicates them", () => {
    expect(publicationFileName("abc", "jpeg")).toBe("pis-abc.jpg");
    expect(isOurFile("pis-abc.png", "pis-abc.png")).toBe(true);
    expect(isOurFile("pis-abc_0f8e3c2a-1b2c-4d5e-8f90-123456789abc.png", "pis-abc.png")).toBe(true);
    expect(isOurFile("pis-abcd.png", "pis-abc.png")).toBe(false);
    expect(isOurFile(null, "pis-abc.png")).toBe(false);
  });
  it("steps are ordered", () => {
    expect(stepReached("featured", "ready")).toBe(true);
    expect(stepReached("staged", "attached")).toBe(false);
  });
});
