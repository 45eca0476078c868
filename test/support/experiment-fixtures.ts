import type { Db } from "~/db/client.server";

/** A shop with a pixel key and a running 50/50 test (control "a", variant "b", both files ready) on one product. */
export async function seedRunningExperiment(db: Db, input: { domain: string; pixelKey: string; productId: string }) {
  const shop = await db.shop.create({ data: { domain: input.domain } });
  await db.pixelKey.create({ data: { shopId: shop.id, key: input.pixelKey } });
  const experiment = await db.experiment.create({
    data: {
      shopId: shop.id,
      productGid: `gid://shopify/Product/${input.productId}`,
      status: "running",
      controlImageUrl: "https://cdn.shopify.com/s/files/1/0001/files/control.jpg",
      controlFileName: "control",
      arms: {
        create: [
          { shopId: shop.id, key: "a", label: "Control", isControl: true, weight: 50, fileStatus: "ready" },
          { shopId: shop.id, key: "b", label: "Variant B", weight: 50, fileStatus: "ready" },
        ],
      },
    },
  });
  return { shop, experiment };
}
