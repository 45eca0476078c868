/**
 * The review queue across products: which products have images waiting for
 * a verdict, approved but not on the product yet, published, or in the A/B set.
 */
import type { Db } from "~/db/client.server";

export const QUEUE_TABS = ["needs-review", "approved", "published", "ab"] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

export const QUEUE_PAGE_SIZE = 50;

/** The candidate filter behind each tab; every query adds the shop. */
function tabFilter(tab: QueueTab) {
  switch (tab) {
    case "needs-review":
      return { status: "new" };
    case "approved":
      return { status: "approved", shopifyMediaId: null };
    case "published":
      return { status: "published" };
    case "ab":
      return { abCandidate: true, status: { not: "rejected" } };
  }
}

export type QueueCounts = Record<QueueTab, number>;

export interface QueueRow {
  productGid: string;
  title: string;
  featuredImageUrl: string | null;
  /** Images of this product in the tab. */
  images: number;
  latestAt: string;
}

export interface ReviewQueue {
  tab: QueueTab;
  counts: QueueCounts;
  rows: QueueRow[];
  page: number;
  hasNext: boolean;
}

/** Image counts per tab, for the tab badges. */
export async function queueCounts(db: Db, shopId: string): Promise<QueueCounts> {
  const counts = await Promise.all(QUEUE_TABS.map((tab) => db.candidate.count({ where: { shopId, ...tabFilter(tab) } })));
  return Object.fromEntries(QUEUE_TABS.map((tab, i) => [tab, counts[i]])) as QueueCounts;
}

export async function reviewQueue(db: Db, shopId: string, tab: QueueTab, page = 0): Promise<ReviewQueue> {
  const groups = await db.candidate.groupBy({
    by: ["productGid"],
    where: { shopId, ...tabFilter(tab) },
    _count: { _all: true },
    _max: { createdAt: true },
    orderBy: [{ _max: { createdAt: "desc" } }, { productGid: "asc" }],
    skip: page * QUEUE_PAGE_SIZE,
    // One more than shown tells whether there is a next page.
    take: QUEUE_PAGE_SIZE + 1,
  });
  const shown = groups.slice(0, QUEUE_PAGE_SIZE);
  const products = await db.productCache.findMany({
    where: { shopId, productGid: { in: shown.map((g) => g.productGid) } },
    select: { productGid: true, title: true, featuredImageUrl: true },
  });
  const byGid = new Map(products.map((p) => [p.productGid, p]));
  return {
    tab,
    counts: await queueCounts(db, shopId),
    page,
    hasNext: groups.length > QUEUE_PAGE_SIZE,
    rows: shown.map((group) => {
      const product = byGid.get(group.productGid);
      return {
        productGid: group.productGid,
        title: product?.title ?? group.productGid,
        featuredImageUrl: product?.featuredImageUrl ?? null,
        images: group._count._all,
        latestAt: (group._max.createdAt ?? new Date(0)).toISOString(),
      };
    }),
  };
}

/** The product to review after this one: the next with images waiting, newest first, wrapping around. */
export async function nextProductToReview(db: Db, shopId: string, afterGid: string): Promise<string | null> {
  const waiting = await db.candidate.groupBy({
    by: ["productGid"],
    where: { shopId, status: "new" },
    _max: { createdAt: true },
    orderBy: [{ _max: { createdAt: "desc" } }, { productGid: "asc" }],
    take: 500,
  });
  const gids = waiting.map((w) => w.productGid);
  const index = gids.indexOf(afterGid);
  const rest = [...gids.slice(index + 1), ...gids.slice(0, Math.max(0, index))];
  return rest.find((gid) => gid !== afterGid) ?? null;
}
