import { describe, expect, it } from "vitest";
import { cdnFileName, storefrontConfig, trafficWeights } from "./config";

describe("storefront config", () => {
  it("matches CDN file names without size suffixes or parameters", () => {
    expect(cdnFileName("https://cdn.shopify.com/s/files/1/0001/0002/0003/files/shirt.jpg?v=12&width=800")).toBe("shirt");
    expect(cdnFileName("//shop.example/cdn/shop/files/shirt_800x.jpg?v=1")).toBe("shirt");
    expect(cdnFileName("//shop.example/cdn/shop/files/shirt_x400_crop_center@2x.png")).toBe("shirt");
    expect(cdnFileName("https://cdn.shopify.com/s/files/1/files/blue%20shirt.webp")).toBe("blue shirt");
  });
  it("splits traffic in whole percents", () => {
    expect(trafficWeights(50, 1)).toEqual([50, 50]);
    expect(trafficWeights(50, 3)).toEqual([50, 17, 17, 16]);
    expect(trafficWeights(20, 2)).toEqual([80, 10, 10]);
    // Every variant gets at least 1%.
    expect(trafficWeights(1, 3)).toEqual([97, 1, 1, 1]);
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
