import { describe, expect, it } from "vitest";
import { productPayloadSchema, factsFromPayload } from "~/automation/product-payload";
import { smallCatalog } from "./fixtures/small-catalog";
import { changedProducts, productWebhookPayload, snapshotProducts } from "./product-events";
import { seedStoreData } from "./state";

const SHOP = "demo-store.myshopify.com";

describe("the local store's products/* webhooks", () => {
  it("sees created and changed products, and nothing when nothing a subscriber can see changed", () => {
    const data = seedStoreData([SHOP], smallCatalog);
    const shop = data.shop(SHOP);
    const before = snapshotProducts(shop);
    expect(changedProducts(before, shop)).toEqual([]);
    const [first, second] = [...shop.products.values()];
    first!.title = "Renamed";
    second!.media.push({ ...second!.media[0]!, id: data.nextId() });
    const changes = changedProducts(before, shop).map((c) => [c.topic, c.product.id]);
    expect(changes).toEqual([
      ["products/update", first!.id],
      ["products/update", second!.id],
    ]);
    const created = { ...first!, id: data.nextId() };
    shop.products.set(created.id, created);
    expect(changedProducts(before, shop).at(-1)).toMatchObject({ topic: "products/create", product: { id: created.id } });
  });

  it("sends the 2026-07 REST shape with media, which the app reads back to the same facts", () => {
    const data = seedStoreData([SHOP], smallCatalog);
    const shop = data.shop(SHOP);
    const product = [...shop.products.values()].find((p) => p.media.length > 0)!;
    const payload = productWebhookPayload("http://127.0.0.1:1", shop, product);
    expect(payload).toMatchObject({ id: product.id, admin_graphql_api_id: `gid://shopify/Product/${product.id}`, title: product.title });
    const facts = factsFromPayload(productPayloadSchema.parse(payload), new Date());
    expect(facts.media).toHaveLength(product.media.length);
    expect(facts.featuredImageUrl).toMatch(new RegExp(`/s/files/${shop.cdnPath}/files/`));
    expect(facts.tags).toEqual(product.tags);
  });
});
