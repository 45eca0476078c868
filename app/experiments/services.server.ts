/**
 * The experiment use cases wired for the app's routes: the request's Admin
 * client, the shared storage, the app's public URL for the pixel endpoint.
 * Start and apply-winner are recorded here and run as jobs on the shared queue.
 */
import { controlDeps, shopIdFor } from "~/batches/services.server";
import { requireEnv } from "~/config/env.server";
import { db } from "~/db.server";
import { createAdminGraphql, type RawGraphql } from "~/shopify/admin-graphql.server";
import { createStorage } from "~/storage/storage.server";
import { requestApplyWinner, requestStart } from "./experiment-jobs.server";
import type { ExperimentDeps } from "./experiments.server";

const env = requireEnv();
const storage = createStorage(env);

export { shopIdFor };

export function experimentDeps(auth: { shop: string; graphql: RawGraphql }): ExperimentDeps {
  return {
    db,
    admin: createAdminGraphql(auth.graphql, auth.shop),
    storage,
    appUrl: env.SHOPIFY_APP_URL,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** Records the start (or resume) and enqueues its job; the page follows it. */
export function requestStartExperiment(shopId: string, id: string): Promise<void> {
  return requestStart({ db, queue: controlDeps.queue }, shopId, id);
}

export function requestApplyExperimentWinner(shopId: string, id: string, armKey: string, options: { deleteLosers: boolean }): Promise<void> {
  return requestApplyWinner({ db, queue: controlDeps.queue }, shopId, id, armKey, options);
}

export interface ExperimentSummary {
  id: string;
  productTitle: string;
  productGid: string;
  status: string;
  /** A start or apply-winner job the worker has not finished ("start" | "apply"). */
  pendingAction: string | null;
  arms: number;
  visitors: number;
  startedAt: string | null;
  createdAt: string;
}

export async function listExperiments(shopId: string): Promise<ExperimentSummary[]> {
  const rows = await db.experiment.findMany({ where: { shopId }, orderBy: { createdAt: "desc" }, include: { _count: { select: { arms: true } } } });
  const visitors = await db.experimentDailyAggregate.groupBy({ by: ["experimentId"], where: { shopId }, _sum: { visitors: true } });
  const byId = new Map(visitors.map((v) => [v.experimentId, v._sum.visitors ?? 0]));
  return rows.map((row) => ({
    id: row.id,
    productTitle: row.productTitle || row.productGid,
    productGid: row.productGid,
    status: row.status,
    pendingAction: row.pendingAction,
    arms: row._count.arms,
    visitors: byId.get(row.id) ?? 0,
    startedAt: row.startedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** Products with A/B candidates, and those candidates: what a new experiment is made from. */
export async function abCandidatesByProduct(shopId: string) {
  const candidates = await db.candidate.findMany({
    where: { shopId, abCandidate: true },
    orderBy: { createdAt: "asc" },
    select: { id: true, productGid: true, presetId: true, altText: true, createdAt: true },
  });
  const titles = new Map(
    (await db.productCache.findMany({ where: { shopId, productGid: { in: [...new Set(candidates.map((c) => c.productGid))] } }, select: { productGid: true, title: true } })).map((p) => [p.productGid, p.title]),
  );
  const products = new Map<string, { productGid: string; title: string; candidates: Array<{ id: string; label: string }> }>();
  for (const c of candidates) {
    const entry = products.get(c.productGid) ?? { productGid: c.productGid, title: titles.get(c.productGid) ?? c.productGid, candidates: [] };
    entry.candidates.push({ id: c.id, label: c.altText || `${c.presetId} · ${c.createdAt.toISOString().slice(0, 10)}` });
    products.set(c.productGid, entry);
  }
  return [...products.values()];
}
