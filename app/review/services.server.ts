/**
 * The review use cases wired for the app's routes, from the validated environment.
 */
import type { BatchRequest } from "~/batches/batch-request";
import { launch, presetsFor, providerRegistryFor, type ShopAuth } from "~/batches/services.server";
import { requireEnv } from "~/config/env.server";
import { db } from "~/db.server";
import { createStorage } from "~/storage/storage.server";
import { signImageUrl } from "./image-urls.server";
import { regionEditUnavailable, type EditRegionDeps } from "./edit-region.server";
import type { ProductReviewDeps } from "./product-review.server";
import type { RegenerateDeps } from "./regenerate.server";

const env = requireEnv();

const storage = createStorage(env);
export const imageDeps = { db, storage, appSecret: env.SHOPIFY_API_SECRET };

export async function productReviewDeps(shopId: string): Promise<ProductReviewDeps> {
  const names = new Map((await presetsFor(shopId)).map((p) => [p.id, p.name]));
  const now = new Date();
  return {
    db,
    presetName: (id) => names.get(id),
    imageUrl: (grant) => signImageUrl(env.SHOPIFY_API_SECRET, grant, now),
  };
}

export function regenerateDeps(auth: ShopAuth, shopId: string): RegenerateDeps {
  return { db, launch: (request: BatchRequest) => launch(auth, shopId, request) };
}

export function editRegionDeps(auth: ShopAuth, shopId: string): EditRegionDeps {
  return { db, storage, launch: (request: BatchRequest) => launch(auth, shopId, request) };
}

/** Why a region edit cannot run for this shop on this provider and model, or null when it can. */
export async function regionEditUnavailableFor(shopId: string, providerId: string, model: string): Promise<string | null> {
  return regionEditUnavailable(await providerRegistryFor(shopId), providerId, model);
}
