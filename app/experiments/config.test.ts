import { describe, expect, it } from "vitest";
import { cdnFileName, evenWeights, storefrontConfig } from "./config";

describe("storefront config", () => {
  it("matches CDN file names without size suffixes or parameters", () => {
    expect(cdnFileName("https://cdn.shopify.com/s/files/1/0001/0002/0003/files/shirt.jpg?v=12&width=800")).toBe("shirt");
    expect(cdnFileName("//shop.example/cdn/shop/files/shirt_800x.jpg?v=1")).toBe("shirt");
    expect(cdnFileName("//shop.example/cdn/shop/files/shirt_x400_crop_center@2x.png")).toBe("shirt");
    expect(cdnFileName("https://cdn.shopify.com/s/files/1/files/blue%20shirt.webp")).toBe("blue shirt");
  });
  it("splits traffic in whole percents", () => {
    expect(evenWeights(2)).toEqual([50, 50]);
    expect(evenWeights(3)).toEqual([34, 33, 33]);
    expect(evenWeights(4)).toEqual([25, 25, 25, 25]);
  });
  it("writes what the embed reads", () => {
    const config = storefrontConfig({
      id: "e1",
      productGid: "gid://shopify/Product/7001",
      status: "running",
      controlFileName: "shirt",
      arms: [
        { key: "a", isControl: true, weight: 50, imageUrl: null },
        { key: "b", isControl: false, weight: 50, imageUrl: "https://cdn.shopify.com/s/files/1/files/v.png?v=1" },
      ],
    });
    expect(config).toEqual({
      v: 1,
      experimentId: "e1",
      productId: "7001",
      status: "running",
      maxHideMs: 1200,
      control: { key: "a", file: "shirt" },
      arms: [{ key: "a", weight: 50 }, { key: "b", weight: 50, url: "https://cdn.shopify.com/s/files/1/files/v.png?v=1" }],
    });
  });
});
