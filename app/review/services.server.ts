/**
 * The review use cases wired for the app's routes, from the validated environment.
 */
import type { BatchRequest } from "~/batches/batch-request";
import { launch, presetsFor, providers, type ShopAuth } from "~/batches/services.server";
import { requireEnv } from "~/config/env.server";
import { db } from "~/db.server";
import { UnknownProviderError } from "~/providers/registry.server";
import { createStorage } from "~/storage/storage.server";
import { signImageUrl } from "./image-urls.server";
import type { EditRegionDeps } from "./edit-region.server";
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

/** Why a region edit cannot run on this provider and model, or null when it can. */
export function regionEditUnavailable(providerId: string, model: string): string | null {
  try {
    const { capabilities } = providers.create(providerId, model);
    if (!capabilities.mask || !capabilities.editWithReferences) {
      return `${providers.options().find((o) => o.providerId === providerId)?.label ?? providerId} cannot repaint a region; only providers that take an inpainting mask can.`;
    }
    return null;
  } catch (error) {
    if (error instanceof UnknownProviderError) return `The provider that made this image (${providerId} ${model}) is not set up on this app any more.`;
    throw error;
  }
}
