/**
 * "Edit a region": the merchant brushes over part of a candidate and says what
 * should change there. The mask is stored in the shop's namespace and the edit
 * is launched as a one-item batch on the candidate's provider, so it is
 * estimated, budget-checked, queued and entered in the cost ledger like any
 * other generation. Providers without inpainting masks refuse it up front.
 */
import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { batchRequestSchema, generationOptionsSchema, type BatchRequest } from "~/batches/batch-request";
import type { CreateResult } from "~/batches/create-batch.server";
import type { Db } from "~/db/client.server";
import { UnknownProviderError, type ProviderRegistry } from "~/providers/registry.server";
import { shopKey, type ObjectStorage } from "~/storage/types";

export interface EditRegionDeps {
  db: Db;
  storage: Pick<ObjectStorage, "put" | "delete">;
  launch(request: BatchRequest): Promise<CreateResult>;
}

export type EditRegionResult = CreateResult | { ok: false; status: 404 | 400; reasons: string[] };

/** Masks larger than any provider's output are refused before decoding anything big. */
export const MAX_MASK_BYTES = 8 * 1024 * 1024;
const MAX_MASK_EDGE = 4096;

/** Null when the mask is a PNG with some pixels left to repaint (transparent) and some kept (opaque). */
async function maskProblem(mask: Buffer): Promise<string | null> {
  if (mask.length === 0 || mask.length > MAX_MASK_BYTES) return "The drawn region could not be read. Draw it again.";
  try {
    const meta = await sharp(mask).metadata();
    if (meta.format !== "png" || !meta.hasAlpha) return "The drawn region must be a PNG with transparency.";
    if (!meta.width || !meta.height || Math.max(meta.width, meta.height) > MAX_MASK_EDGE) return "The drawn region is larger than any image.";
    const { data, info } = await sharp(mask).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    let repainted = 0;
    for (let i = info.channels - 1; i < data.length; i += info.channels) if (data[i]! < 128) repainted++;
    if (repainted === 0) return "Brush over the part of the image you want changed.";
    if (repainted === info.width * info.height) return "The whole image is selected; brush over only the part you want changed.";
    return null;
  } catch {
    return "The drawn region could not be read. Draw it again.";
  }
}

export async function editRegion(
  deps: EditRegionDeps,
  shopId: string,
  candidateId: string,
  input: { mask: Buffer; instruction: string },
): Promise<EditRegionResult> {
  const candidate = await deps.db.candidate.findFirst({
    where: { id: candidateId, shopId },
    select: {
      productGid: true,
      presetId: true,
      storageKey: true,
      altText: true,
      item: { select: { batch: { select: { shopId: true, providerId: true, model: true, optionsJson: true } } } },
    },
  });
  if (!candidate) return { ok: false, status: 404, reasons: ["That image does not exist."] };
  const batch = candidate.item?.batch;
  if (!batch || batch.shopId !== shopId) {
    return { ok: false, reasons: ["The batch that made this image was deleted, so its settings are gone."] };
  }
  const problem = await maskProblem(input.mask);
  if (problem) return { ok: false, status: 400, reasons: [problem] };
  const options = generationOptionsSchema.safeParse(JSON.parse(batch.optionsJson));
  if (!options.success) return { ok: false, reasons: ["This image's batch settings can no longer be read."] };

  const maskKey = shopKey(shopId, "masks", `${randomUUID()}.png`);
  const request = batchRequestSchema.safeParse({
    productGids: [candidate.productGid],
    presetIds: [candidate.presetId],
    candidatesPerProduct: 1,
    providerId: batch.providerId,
    model: batch.model,
    options: {
      ...options.data,
      // The candidate itself goes to the provider as the image to edit.
      useReference: true,
      edit: { sourceKey: candidate.storageKey, maskKey, instruction: input.instruction, altText: candidate.altText },
    },
  });
  if (!request.success) return { ok: false, status: 400, reasons: request.error.issues.map((i) => i.message) };
  await deps.storage.put(maskKey, input.mask, "image/png");
  const launched = await deps.launch(request.data);
  // Nothing will read a mask whose edit was refused (budget, provider).
  if (!launched.ok) await deps.storage.delete(maskKey);
  return launched;
}

/** Why a region edit cannot run on this provider and model with these providers (the shop's), or null when it can. */
export function regionEditUnavailable(providers: ProviderRegistry, providerId: string, model: string): string | null {
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
