/**
 * How the hardening suite attacks each route. Every route the build knows
 * must have an entry here: a route without one fails the suite by name
 * (tenant-walls.test.ts), so nobody ships a route the suite never tried.
 *
 * Values come from `ids`: shop B's real rows when attacking, or same-shaped
 * ids that name nothing when measuring what "missing" looks like. The suite
 * then demands that shop A gets exactly the same answer for both.
 */
import { expect } from "vitest";
import { connectDb } from "~/db/client.server";
import { signImageUrl } from "~/review/image-urls.server";
import type { Stack } from "../support/stack";
import { B_TITLE, type Row } from "./world";

export interface Ids {
  /** A column (default `id`) of shop B's first row in `table` that passes `where`. */
  row(table: string, column?: string, where?: (row: Row) => boolean): string;
  /** Shop B's products that have been generated for. */
  productGids(): string[];
}

type Values = (ids: Ids) => Record<string, string>;

export type RouteFixture =
  /** Embedded admin pages and their data/actions: session token required, shop from the token. */
  | {
      kind: "admin";
      params?: Values;
      query?: (ids: Ids) => [string, string][];
      /** Action bodies (form fields) to try as the wrong shop. */
      forms?: (ids: Ids) => Record<string, string>[];
      /** The loader answers with a never-ending event stream. */
      stream?: boolean;
    }
  /** Shopify webhooks: HMAC of the raw body with the app secret is the only credential. */
  | { kind: "webhook" }
  /** The Shopify library's own login and OAuth paths; they hold no shop data. */
  | { kind: "shopify-auth" }
  /** A public endpoint with its own credential; `check` proves it. */
  | { kind: "public"; check: (context: PublicCheck) => Promise<void> };

export interface PublicCheck {
  stack: Stack;
  /** Shop B's rows (real ids). */
  ids: Ids;
  /** Shop A's database id (the attacker's). */
  attackerShopId: string;
  /** GET/POST the app; never follows redirects. */
  request(path: string, init?: RequestInit): Promise<Response>;
}

const ONE_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const batchRequest = (ids: Ids) =>
  JSON.stringify({
    productGids: ids.productGids(),
    presetIds: ["packshot-white", `custom:${ids.row("ShopPreset")}`],
    candidatesPerProduct: 1,
    providerId: "studio",
    model: "studio-1",
    options: { size: "1024x1024", quality: "low", format: "png", background: "opaque", useReference: true, brandKit: false },
  });

/**
 * Candidate images are public URLs signed by the page that showed them. A
 * URL for B's candidate signed for A's shop, with a wrong key, altered or
 * unsigned answers exactly like one for a candidate that never existed.
 */
async function signedImages({ stack, ids, attackerShopId, request }: PublicCheck) {
  const candidateId = ids.row("Candidate");
  const shopId = ids.row("Candidate", "shopId");
  const now = new Date();
  const answer = async (path: string) => {
    const response = await request(path);
    return { status: response.status, body: response.status === 200 ? "<image>" : await response.text(), nosniff: response.headers.get("x-content-type-options") };
  };
  const missing = await answer(signImageUrl(stack.apiSecret, { shopId: attackerShopId, candidateId: "cnothingnothingnothing000", variant: "thumb" }, now));
  expect(missing.status).toBe(404);
  const attacks = [
    signImageUrl(stack.apiSecret, { shopId: attackerShopId, candidateId, variant: "thumb" }, now),
    signImageUrl("not-the-app-secret", { shopId, candidateId, variant: "thumb" }, now),
    signImageUrl(stack.apiSecret, { shopId, candidateId, variant: "thumb" }, now).replace("thumb", "full"),
    `/images/${candidateId}/thumb`,
    `/images/${candidateId}/thumb?shop=${shopId}`,
  ];
  for (const path of attacks) expect(await answer(path), path).toEqual(missing);
  // The same URL signed properly does serve the image, so the refusals above are the check at work.
  const own = await answer(signImageUrl(stack.apiSecret, { shopId, candidateId, variant: "thumb" }, now));
  expect(own).toEqual({ status: 200, body: "<image>", nosniff: "nosniff" });
}

/**
 * The storefront pixel's only credential is the shop's pixel key. Shop A's
 * key with events for B's experiment answers exactly like events for an
 * experiment that does not exist, and nothing is recorded against B's.
 */
async function pixelEvents({ stack, ids, attackerShopId, request }: PublicCheck) {
  const experimentId = ids.row("Experiment");
  const db = await connectDb(stack.database.url);
  try {
    const attackerKey = (await db.pixelKey.findUniqueOrThrow({ where: { shopId: attackerShopId } })).key;
    const send = async (key: string, experiment: string) => {
      const body = JSON.stringify({
        key,
        clientId: "hardening-visitor",
        events: [{ id: `evt-${experiment}`, type: "view", experimentId: experiment, arm: "a", productId: ids.row("Experiment", "productGid") }],
      });
      const response = await request("/api/pixel/events", { method: "POST", body, headers: { "Content-Type": "application/json" } });
      return { status: response.status, body: await response.text() };
    };
    expect((await send("unknown-key-0000000000", experimentId)).status).toBe(401);
    const attack = await send(attackerKey, experimentId);
    const missing = await send(attackerKey, "cnothingnothingnothing000");
    expect({ status: attack.status, body: attack.body.split(experimentId).join("<id>") }).toEqual({
      status: missing.status,
      body: missing.body.split("cnothingnothingnothing000").join("<id>"),
    });
    expect(await db.experimentEvent.count({ where: { experimentId } })).toBe(0);
    expect(await db.experimentVisitor.count({ where: { experimentId } })).toBe(0);
  } finally {
    await db.$disconnect();
  }
}

export const ROUTE_FIXTURES: Record<string, RouteFixture> = {
  "routes/_index": { kind: "shopify-auth" },
  "routes/auth.$": { kind: "shopify-auth" },
  "routes/auth.login": { kind: "shopify-auth" },

  "routes/app": { kind: "admin" },
  "routes/app._index": { kind: "admin", query: (ids) => [["q", ids.row("ProductCache", "title", (r) => String(r.title).startsWith(B_TITLE))]] },
  "routes/app.batches._index": { kind: "admin" },
  // Settings belong to the session's shop; the one place an id goes in is a default preset, so try B's.
  "routes/app.settings": {
    kind: "admin",
    forms: (ids) => [
      {
        intent: "defaults",
        value: JSON.stringify({ defaultPresetIds: [`custom:${ids.row("ShopPreset")}`], ab: {}, privacy: {} }),
      },
    ],
  },
  "routes/app.batches.new": {
    kind: "admin",
    query: (ids) => ids.productGids().map((gid) => ["product", gid]),
    forms: (ids) => [
      { intent: "estimate", request: batchRequest(ids) },
      { intent: "launch", request: batchRequest(ids) },
    ],
  },
  "routes/app.batches.$id": {
    kind: "admin",
    params: (ids) => ({ id: ids.row("Batch") }),
    forms: () => ["pause", "resume", "cancel", "retry"].map((intent) => ({ intent })),
  },
  "routes/app.batches.$id.events": { kind: "admin", stream: true, params: (ids) => ({ id: ids.row("Batch") }) },

  "routes/app.review._index": { kind: "admin", query: () => [["tab", "needs-review"]] },
  "routes/app.review.$productId": {
    kind: "admin",
    params: (ids) => ({ productId: ids.row("Candidate", "productGid").split("/").pop() ?? "" }),
    forms: (ids) => [
      ...["approve", "reject", "reset", "ab-on", "ab-off", "regenerate", "publish", "publish-featured", "undo"].map((intent) => ({ intent, candidateId: ids.row("Candidate") })),
      // A 1×1 transparent PNG: a well-formed mask, so the attack reaches the candidate lookup.
      { intent: "edit-region", candidateId: ids.row("Candidate"), instruction: "make it blue", mask: `data:image/png;base64,${ONE_PIXEL_PNG}` },
    ],
  },
  "routes/app.experiments._index": { kind: "admin" },
  "routes/app.experiments.new": {
    kind: "admin",
    forms: (ids) => [{ productGid: ids.row("Candidate", "productGid"), candidateId: ids.row("Candidate"), controlPercent: "50", mdePercent: "10" }],
  },
  "routes/app.experiments.$id": {
    kind: "admin",
    params: (ids) => ({ id: ids.row("Experiment") }),
    forms: (): Record<string, string>[] => [{ intent: "start" }, { intent: "pause" }, { intent: "stop" }, { intent: "apply", arm: "a" }],
  },
  "routes/images.$candidateId.$variant": { kind: "public", check: signedImages },
  "routes/api.pixel.events": { kind: "public", check: pixelEvents },

  "routes/webhooks.app.scopes_update": { kind: "webhook" },
  "routes/webhooks.app.uninstalled": { kind: "webhook" },
  "routes/webhooks.customers.data_request": { kind: "webhook" },
  "routes/webhooks.customers.redact": { kind: "webhook" },
  "routes/webhooks.shop.redact": { kind: "webhook" },
  "routes/webhooks.products.create": { kind: "webhook" },
  "routes/webhooks.products.update": { kind: "webhook" },
};
