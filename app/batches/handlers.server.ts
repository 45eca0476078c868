/**
 * The batch domain's job handlers, wired from the environment. The worker
 * process loads this module: `tsx app/queue/worker-main.server.ts --handlers app/batches/handlers.server.ts`.
 */
import { createHash } from "node:crypto";
import sharp from "sharp";
import { getProductFacts } from "~/catalog/catalog.server";
import type { CatalogSource } from "~/catalog/types";
import type { Env } from "~/config/env.server";
import type { Db } from "~/db/client.server";
import { generateCandidates, PreparedPhotos, presetLookup } from "~/generation/generate-candidates.server";
import { createProviderRegistry, type ProviderRegistry } from "~/providers/registry.server";
import { createQueue, createRateLimiter } from "~/queue/engine.server";
import { AdaptiveConcurrency } from "~/queue/rate-limit";
import type { JobHandlers } from "~/queue/types";
import { createImageFetcher, imageFetchPolicy, type FetchImage } from "~/shopify/image-fetch.server";
import { createStorage } from "~/storage/storage.server";
import type { ObjectStorage } from "~/storage/types";
import { publishDeps, publishHandlers } from "~/publish/handlers.server";
import { experimentHandlers, experimentJobDeps } from "~/experiments/handlers.server";
import { publishBestWith } from "~/automation/publish-best.server";
import { createWebhookJobHandlers } from "~/webhooks/handlers.server";
import { accountLimits, paced, type PacingParts } from "./provider-pacing.server";
import { startRequeueingLostItems } from "./requeue-lost.server";
import { shopProviders, type ShopProviders } from "./shop-providers.server";
import { runItem, type RunItemDeps } from "./run-item.server";
import { brandKitForShop, customPresets } from "./shop-settings.server";

export interface ItemRunnerParts {
  db: Db;
  registry: Pick<ProviderRegistry, "create">;
  /** When given, a shop's own provider keys take the place of `registry`'s install keys for its items. */
  providersFor?: ShopProviders;
  storage: ObjectStorage;
  /** Downloads product photos; only from the origins its policy allows. */
  fetchImage: FetchImage;
  now?: () => Date;
  itemLeaseMs?: number;
  /** Provider calls wait for the account's rate limits; without it they go out at once. */
  pacing?: PacingParts;
}

/**
 * Workers hold no Shopify session: an item renders the product facts cached
 * when its batch was launched (the launch reads every product it names).
 */
const launchSnapshotOnly: CatalogSource = {
  product: async () => null,
  page: () => Promise.reject(new Error("workers read product facts from the launch snapshot only")),
  filterValues: () => Promise.reject(new Error("workers read product facts from the launch snapshot only")),
};

/** Opaque and stable per shop; providers see it instead of anything that names the shop. */
export function safetyIdentifier(shopId: string): string {
  return createHash("sha256").update(`pis-shop:${shopId}`).digest("hex").slice(0, 32);
}

export function itemRunnerDeps(parts: ItemRunnerParts): RunItemDeps {
  const { db, registry, storage } = parts;
  const now = parts.now ?? (() => new Date());
  const preparedPhotos = new PreparedPhotos();
  return {
    db,
    now,
    safetyIdentifier,
    ...(parts.itemLeaseMs !== undefined && { itemLeaseMs: parts.itemLeaseMs }),
    productFacts: (shopId, productGid) =>
      getProductFacts({ db, source: launchSnapshotOnly, shopId, now }, productGid, Number.POSITIVE_INFINITY),
    generate: withPacing(parts.pacing, async (run, input) => {
      const [shopPresets, brandKit, shopRegistry] = await Promise.all([
        customPresets(db, run.shopId),
        brandKitForShop(db, run.shopId),
        parts.providersFor ? parts.providersFor(run.shopId).then((accounts) => accounts.registry) : registry,
      ]);
      return generateCandidates(
        {
          provider: shopRegistry.create(run.providerId, run.model),
          storage,
          fetchImage: parts.fetchImage,
          presets: presetLookup(shopPresets),
          brandKit: input.options.brandKit ? brandKit : null,
          now,
          preparedPhotos,
        },
        input,
      );
    }),
  };
}

function withPacing(pacing: PacingParts | undefined, generate: RunItemDeps["generate"]): RunItemDeps["generate"] {
  return pacing ? paced(generate, pacing) : generate;
}

export async function createHandlers({ env, db }: { env: Env; db: Db }): Promise<JobHandlers> {
  // Every image a worker decodes is new (photos are prepared once, see PreparedPhotos), so
  // libvips' operation cache never hits and only holds up to 50 MB per process.
  sharp.cache(false);
  const registry = createProviderRegistry(env);
  const storage = createStorage(env);
  const providersFor = shopProviders({ db, env, encryptionKey: env.SETTINGS_ENCRYPTION_KEY });
  // Jobs that start other jobs (automation launches batches, auto-publish); lives as long as the worker.
  const queue = createQueue(env, db);
  if (env.QUEUE_DRIVER === "bullmq") {
    // Items whose jobs a restarted Redis forgot are enqueued again; embedded jobs share the items' database.
    startRequeueingLostItems({ db, queue, now: () => new Date(), staleMs: 2 * env.JOB_LEASE_MS }, env.JOB_LEASE_MS);
  }
  // The item's lease matches the job's: a dead worker's items are taken over as soon as its jobs are.
  const deps = itemRunnerDeps({
    db,
    registry,
    providersFor,
    storage,
    fetchImage: createImageFetcher(imageFetchPolicy(env.SHOPIFY_SHOP_ORIGIN_OVERRIDES)),
    itemLeaseMs: env.JOB_LEASE_MS,
    pacing: {
      // Lives as long as the worker process, which exits without closing it.
      limiter: createRateLimiter(env, db).limiter,
      // The bucket does the pacing; AIMD starts wide open and only narrows on 429s.
      concurrency: new AdaptiveConcurrency({ initial: env.WORKER_CONCURRENCY, max: env.WORKER_CONCURRENCY }),
      limitsFor: accountLimits(env),
      accountFor: async (run) => (await providersFor(run.shopId)).account(run.providerId),
    },
  });
  return {
    "generate-item": (payload, context) => runItem(deps, payload, context),
    ...publishHandlers(publishDeps(env, db)),
    ...experimentHandlers(experimentJobDeps(env, db)),
    ...(await createWebhookJobHandlers({ env, db, queue, registry, providersFor, storage, publishBest: publishBestWith(db, queue) })),
  };
}
