/**
 * What the products/* webhook routes do before answering: a few indexed
 * writes and at most one enqueue, so Shopify gets its 200 in milliseconds.
 * Generation itself runs in the jobs (jobs.server.ts).
 *
 * Every delivery refreshes the cached product facts from its payload (the
 * workers have no request session and render from this cache), unless a
 * newer delivery for the product was applied already: deliveries can arrive
 * out of order, and X-Shopify-Triggered-At says which is newer.
 */
import type { ProductFacts } from "~/catalog/types";
import type { Db } from "~/db/client.server";
import type { JobQueue } from "~/queue/types";
import { getShopSettings } from "~/settings/settings.server";
import { contentHash, factsFromPayload, type ProductPayload } from "./product-payload";

export interface IntakeDeps {
  db: Db;
  queue: Pick<JobQueue, "enqueue">;
  now: () => Date;
}

export function newProductJobId(shopId: string, productGid: string): string {
  return `automation-new-product:${shopId}:${productGid}`;
}

export function refreshJobId(watchId: string): string {
  return `automation-refresh:${watchId}`;
}

/** The installed shop's id; null for a shop we do not serve (never installed, uninstalled, erased). */
async function installedShopId(db: Db, domain: string): Promise<string | null> {
  const shop = await db.shop.findUnique({ where: { domain }, select: { id: true, uninstalledAt: true } });
  return shop && !shop.uninstalledAt ? shop.id : null;
}

async function cacheFacts(db: Db, shopId: string, facts: ProductFacts, fetchedAt: Date): Promise<void> {
  const data = {
    title: facts.title,
    handle: facts.handle,
    descriptionHtml: facts.descriptionHtml,
    productType: facts.productType,
    vendor: facts.vendor,
    status: facts.status,
    tagsJson: JSON.stringify(facts.tags),
    optionsJson: JSON.stringify(facts.options),
    mediaJson: JSON.stringify(facts.media),
    featuredImageUrl: facts.featuredImageUrl,
    mediaCount: facts.mediaCount,
    shopifyUpdatedAt: new Date(facts.updatedAt),
    fetchedAt,
  };
  await db.productCache.upsert({
    where: { shopId_productGid: { shopId, productGid: facts.id } },
    create: { shopId, productGid: facts.id, ...data },
    update: data,
  });
}

export type IntakeOutcome = "ignored" | "stale" | "recorded" | "enqueued";

/** What both products topics start from: the installed shop, the delivery's facts and the product's watch row. */
async function readDelivery(deps: IntakeDeps, shopDomain: string, payload: ProductPayload, triggeredAt: Date | null) {
  const now = deps.now();
  const shopId = await installedShopId(deps.db, shopDomain);
  if (!shopId) return null;
  const facts = factsFromPayload(payload, now);
  const key = { shopId_productGid: { shopId, productGid: facts.id } };
  const watch = await deps.db.productWatch.findUnique({ where: key });
  return { now, shopId, at: triggeredAt ?? now, facts, hash: contentHash(facts.title, facts.descriptionHtml), key, watch };
}

export async function productCreated(deps: IntakeDeps, shopDomain: string, payload: ProductPayload, triggeredAt: Date | null): Promise<IntakeOutcome> {
  const { db } = deps;
  const delivery = await readDelivery(deps, shopDomain, payload, triggeredAt);
  if (!delivery) return "ignored";
  const { now, shopId, at, facts, hash, key, watch } = delivery;
  // An update triggered after the creation arrived first: its facts are the newer ones, but the product is still new.
  const stale = watch !== null && watch.lastTriggeredAt > at;
  if (!stale) {
    await cacheFacts(db, shopId, facts, now);
    await db.productWatch.upsert({
      where: key,
      create: { shopId, productGid: facts.id, contentHash: hash, lastTriggeredAt: at },
      update: { contentHash: hash, lastTriggeredAt: at },
    });
  }
  const settings = await getShopSettings(db, shopId);
  if (!settings.automation.enabled) return stale ? "stale" : "recorded";
  await deps.queue.enqueue(
    { name: "automation-new-product", payload: { shopId, productGid: facts.id } },
    { jobId: newProductJobId(shopId, facts.id), maxAttempts: 5 },
  );
  return "enqueued";
}

/**
 * A refresh starts only when the text a shopper reads changed. The app's own
 * writes (publishing media, alt text, metafields) leave title and description
 * as they were, so they can never start generation: no loop by construction.
 */
export async function productUpdated(deps: IntakeDeps, shopDomain: string, payload: ProductPayload, triggeredAt: Date | null): Promise<IntakeOutcome> {
  const { db } = deps;
  const delivery = await readDelivery(deps, shopDomain, payload, triggeredAt);
  if (!delivery) return "ignored";
  const { now, shopId, at, facts, hash, key, watch } = delivery;
  if (watch && watch.lastTriggeredAt > at) return "stale";
  await cacheFacts(db, shopId, facts, now);
  if (!watch) {
    // First time we hear of this product (it predates the install): this is the baseline, not a change.
    await db.productWatch.upsert({ where: key, create: { shopId, productGid: facts.id, contentHash: hash, lastTriggeredAt: at }, update: {} });
    return "recorded";
  }
  const changed = watch.contentHash !== hash;
  const { automation } = await getShopSettings(db, shopId);
  const refresh = changed && automation.enabled && automation.refreshOnEdit;
  const dueAt = new Date(now.getTime() + automation.refreshDebounceSeconds * 1000);
  // Conditional on the version read, so of two racing deliveries only the newer one lands.
  const { count } = await db.productWatch.updateMany({
    where: { id: watch.id, lastTriggeredAt: { lte: at } },
    data: { contentHash: hash, lastTriggeredAt: at, ...(refresh && { refreshDueAt: dueAt }) },
  });
  if (count === 0) return "stale";
  if (!refresh) return "recorded";
  // Debounce: every edit pushes refreshDueAt back; the one job per product waits until it has passed.
  await deps.queue.enqueue(
    { name: "automation-refresh", payload: { watchId: watch.id } },
    { jobId: refreshJobId(watch.id), delayMs: automation.refreshDebounceSeconds * 1000, rerunFinished: true },
  );
  return "enqueued";
}
