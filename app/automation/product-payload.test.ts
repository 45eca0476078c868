import { describe, expect, it } from "vitest";
import { contentHash, factsFromPayload, productPayloadSchema } from "./product-payload";

const base = {
  admin_graphql_api_id: "gid://shopify/Product/42",
  title: "Linen Shirt",
  body_html: "<p>Soft &amp; breathable linen.</p>",
  handle: "linen-shirt",
  product_type: "Shirts",
  vendor: "Acme",
  status: "active",
  tags: "summer, linen",
  options: [{ name: "Size", values: ["S", "M"] }],
};

describe("products webhook payload", () => {
  it("reads the 2026-07 media list, ready photos first as featured", () => {
    const payload = productPayloadSchema.parse({
      ...base,
      media: [
        { admin_graphql_api_id: "gid://shopify/MediaImage/1", status: "PROCESSING", media_content_type: "IMAGE", preview_image: null },
        { admin_graphql_api_id: "gid://shopify/MediaImage/2", status: "READY", media_content_type: "IMAGE", alt: "front", preview_image: { src: "https://cdn.example/a.png", width: 10, height: 20 } },
        { admin_graphql_api_id: "gid://shopify/Video/3", status: "READY", media_content_type: "VIDEO", preview_image: { src: "https://cdn.example/v.png" } },
      ],
    });
    const facts = factsFromPayload(payload, new Date(0));
    expect(facts.media.map((m) => m.id)).toEqual(["gid://shopify/MediaImage/2"]);
    expect(facts.featuredImageUrl).toBe("https://cdn.example/a.png");
    expect(facts.tags).toEqual(["summer", "linen"]);
    expect(facts.status).toBe("ACTIVE");
  });

  it("has no photo when media is empty", () => {
    const facts = factsFromPayload(productPayloadSchema.parse({ ...base, media: [], images: [] }), new Date(0));
    expect(facts.featuredImageUrl).toBeNull();
    expect(facts.mediaCount).toBe(0);
  });
});

describe("what counts as a meaningful text change", () => {
  const original = contentHash("Linen Shirt", "<p>Soft &amp; breathable linen.</p>");

  it("ignores markup, entities, case, punctuation and spacing", () => {
    expect(contentHash("linen shirt", "<div>Soft & breathable   linen</div>")).toBe(original);
    expect(contentHash("Linen Shirt!", "<p>Soft &#38; breathable linen</p>\n")).toBe(original);
  });

  it("sees changed words", () => {
    expect(contentHash("Linen Shirt", "<p>Soft &amp; breathable hemp.</p>")).not.toBe(original);
    expect(contentHash("Linen Overshirt", "<p>Soft &amp; breathable linen.</p>")).not.toBe(original);
  });
});
