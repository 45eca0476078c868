/**
 * The batch use cases wired for the app's routes: one provider registry and
 * one queue per process, built from the validated environment.
 */
import { getProductFacts } from "~/catalog/catalog.server";
import { requireEnv } from "~/config/env.server";
import { db } from "~/db.server";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { createProviderRegistry, type ProviderRegistry } from "~/providers/registry.server";
import { closeOnShutdown, createQueue } from "~/queue/engine.server";
import type { JobQueue } from "~/queue/types";
import { createAdminGraphql, type RawGraphql } from "~/shopify/admin-graphql.server";
import { shopifyCatalog } from "~/shopify/products.server";
import { ensureShop } from "~/shops/install.server";
import type { BatchRequest } from "./batch-request";
import { createBatch, planBatch, type CreateResult, type PlanDeps, type PlanResult } from "./create-batch.server";
import type { ControlDeps } from "./control.server";
import type { ProgressDeps } from "./progress.server";
import { accountLimits } from "./provider-pacing.server";
import { customPresets } from "./shop-settings.server";
import { shopProviders } from "./shop-providers.server";

declare global {
  // One queue connection per process, kept across Vite's dev reloads.
  var __pisBatchQueue: JobQueue | undefined;
}

const env = requireEnv();
export const providers: ProviderRegistry = createProviderRegistry(env);
/** A shop's own provider keys replace the install's for its estimates and launches (the worker does the same for its calls). */
const providersFor = shopProviders({ db, env, encryptionKey: env.SETTINGS_ENCRYPTION_KEY });
globalThis.__pisBatchQueue ??= closeOnShutdown(createQueue(env, db));
const queue = globalThis.__pisBatchQueue;
const now = () => new Date();
const limitsFor = accountLimits(env);
const imagesPerMinute = (providerId: string) => limitsFor(providerId)?.imagesPerMinute;

export interface ShopAuth {
  shop: string;
  graphql: RawGraphql;
}

export async function shopIdFor(domain: string): Promise<string> {
  return (await ensureShop(db, domain)).id;
}

async function planDeps(shopId: string, providerId: string): Promise<PlanDeps> {
  const limit = imagesPerMinute(providerId);
  return {
    db,
    registry: (await providersFor(shopId)).registry,
    presets: [...PRESET_LIBRARY, ...(await customPresets(db, shopId))],
    now,
    concurrency: env.WORKER_CONCURRENCY,
    ...(limit !== undefined && { imagesPerMinute: limit }),
  };
}

/** What the shop can choose: the install's providers, plus any it brought its own key for. */
export async function providerOptionsFor(shopId: string) {
  return (await providerRegistryFor(shopId)).options();
}

/** The shop's providers: its own keys in place of the install's. */
export async function providerRegistryFor(shopId: string): Promise<ProviderRegistry> {
  return (await providersFor(shopId)).registry;
}

export async function presetsFor(shopId: string) {
  return [...PRESET_LIBRARY, ...(await customPresets(db, shopId))];
}

export async function estimate(shopId: string, request: BatchRequest): Promise<PlanResult> {
  return planBatch(await planDeps(shopId, request.providerId), shopId, request);
}

/**
 * Reads every product from Shopify (or the fresh cache) before launching:
 * workers render from these cached facts, and a product that no longer
 * exists is refused here rather than failing later.
 */
export async function launch(auth: ShopAuth, shopId: string, request: BatchRequest): Promise<CreateResult> {
  const source = shopifyCatalog(createAdminGraphql(auth.graphql, auth.shop));
  const missing: string[] = [];
  for (const gid of request.productGids) {
    if (!(await getProductFacts({ db, source, shopId, now }, gid))) missing.push(gid);
  }
  if (missing.length > 0) {
    return { ok: false, reasons: [`${missing.length} of the chosen products no longer exist in your store. Go back and choose again.`] };
  }
  return createBatch({ ...(await planDeps(shopId, request.providerId)), queue }, shopId, request);
}

export const controlDeps: ControlDeps = { db, queue, now };
export const progressDeps: ProgressDeps = { db, now, imagesPerMinute };
