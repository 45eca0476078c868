/**
 * app/uninstalled and shop/redact. Uninstalling stops everything that would
 * spend the shop's money or touch its store; redacting (48 hours later, or on
 * request) erases every row and every stored file of the shop.
 */
import { cancel, type ControlDeps } from "~/batches/control.server";
import type { Db } from "~/db/client.server";
import type { ObjectStorage } from "~/storage/types";
import { shopKey } from "~/storage/types";
import { eraseShop, recordUninstall } from "./install.server";

export type UninstallDeps = ControlDeps;

export interface UninstallResult {
  canceledBatches: number;
  stoppedExperiments: number;
}

export async function uninstallShop(deps: UninstallDeps, domain: string): Promise<UninstallResult> {
  const { db } = deps;
  const now = deps.now();
  // Sessions first: nothing may act on the store with a token Shopify has revoked.
  await recordUninstall(db, domain, now);
  const shop = await db.shop.findUnique({ where: { domain }, select: { id: true } });
  if (!shop) return { canceledBatches: 0, stoppedExperiments: 0 };
  const open = await db.batch.findMany({ where: { shopId: shop.id, status: { in: ["queued", "running", "paused"] } }, select: { id: true } });
  let canceledBatches = 0;
  for (const batch of open) {
    if ((await cancel(deps, shop.id, batch.id)).ok) canceledBatches += 1;
  }
  // Pending refreshes and photo waits end here; a reinstall starts from the next edit.
  await db.productWatch.updateMany({ where: { shopId: shop.id }, data: { refreshDueAt: null, waitingBatchId: null } });
  // The storefront side needs no call (and the revoked token could not make one): Shopify removes
  // the app's pixel and theme extension with the app, so visitors stop seeing variants at once.
  const { count: stoppedExperiments } = await db.experiment.updateMany({
    where: { shopId: shop.id, status: { in: ["running", "paused"] } },
    data: { status: "stopped", liveProductKey: null, stoppedAt: now },
  });
  return { canceledBatches, stoppedExperiments };
}

/**
 * Files first, while the shop's id is still known: if erasing them fails, the
 * rows stay, the job fails, and its retry finds everything to erase again.
 */
export async function redactShop(deps: { db: Db; storage: Pick<ObjectStorage, "deletePrefix"> }, domain: string): Promise<{ files: number }> {
  const shop = await deps.db.shop.findUnique({ where: { domain }, select: { id: true } });
  const files = shop ? await deps.storage.deletePrefix(`${shopKey(shop.id)}/`) : 0;
  await eraseShop(deps.db, domain);
  return { files };
}
