/**
 * "Regenerate similar": one more image of the same product with the same
 * preset, provider, model and options, and a new seed. It is launched as a
 * one-item batch, so it is estimated, budget-checked, queued and entered in
 * the cost ledger exactly like any other batch.
 */
import { batchRequestSchema, generationOptionsSchema, type BatchRequest } from "~/batches/batch-request";
import type { CreateResult } from "~/batches/create-batch.server";
import type { Db } from "~/db/client.server";

export interface RegenerateDeps {
  db: Db;
  /** createBatch on the shop's providers, presets, budget and queue (the seed comes from the new batch). */
  launch(request: BatchRequest): Promise<CreateResult>;
}

export type RegenerateResult = CreateResult | { ok: false; status: 404; reasons: string[] };

export async function regenerateSimilar(deps: RegenerateDeps, shopId: string, candidateId: string): Promise<RegenerateResult> {
  const candidate = await deps.db.candidate.findFirst({
    where: { id: candidateId, shopId },
    select: { productGid: true, presetId: true, item: { select: { batch: { select: { shopId: true, providerId: true, model: true, optionsJson: true } } } } },
  });
  if (!candidate) return { ok: false, status: 404, reasons: ["That image does not exist."] };
  const batch = candidate.item?.batch;
  if (!batch || batch.shopId !== shopId) {
    return { ok: false, reasons: ["The batch that made this image was deleted, so its settings are gone. Start a new batch instead."] };
  }
  const options = generationOptionsSchema.safeParse(JSON.parse(batch.optionsJson));
  if (!options.success) return { ok: false, reasons: ["This image's batch settings can no longer be read. Start a new batch instead."] };
  const request = batchRequestSchema.parse({
    productGids: [candidate.productGid],
    presetIds: [candidate.presetId],
    candidatesPerProduct: 1,
    providerId: batch.providerId,
    model: batch.model,
    options: options.data,
  });
  return deps.launch(request);
}
