/**
 * What the A/B tests write: Files created from staged uploads (fileCreate),
 * product metafields and their definitions (metafieldDefinitionCreate,
 * metafieldsSet, metafieldsDelete) and the app's web pixel (webPixelCreate,
 * webPixelUpdate), with the userErrors codes Shopify uses for what it refuses.
 * State hangs off ShopState in WeakMaps so the seeded catalog stays untouched.
 */
import { parseGid, toGid } from "../gid";
import { detachedFiles, newMediaFromSource, processMedia, stagedUploadFor } from "../media";
import type { ShopState } from "../state";
import type { ResolverMap } from "./types";

export interface StoredMetafield {
  id: number;
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  updatedAt: string;
}

export interface StoredDefinition {
  id: number;
  namespace: string;
  key: string;
  ownerType: string;
  type: string;
  storefrontAccess: string;
}

export interface ExperimentStoreState {
  metafields: Map<string, StoredMetafield>;
  definitions: StoredDefinition[];
  webPixel: { id: number; settings: string } | null;
}

const states = new WeakMap<ShopState, ExperimentStoreState>();
let nextId = 900_000_000;

/** The shop's metafields, definitions and web pixel (tests read it too). */
export function experimentStoreState(shop: ShopState): ExperimentStoreState {
  let state = states.get(shop);
  if (!state) {
    state = { metafields: new Map(), definitions: [], webPixel: null };
    states.set(shop, state);
  }
  return state;
}

/** `$app:x` is the calling app's reserved namespace, stored as `app--<id>--x` by Shopify; one app here. */
function resolveNamespace(namespace: string | null | undefined): string {
  const ns = namespace ?? "$app";
  return ns.startsWith("$app") ? ns.replace(/^\$app:?/, "app--1--").replace(/--$/, "") : ns;
}

const metafieldKey = (ownerId: string, namespace: string, key: string) => `${ownerId}|${namespace}|${key}`;

function ownerExists(shop: ShopState, gid: string): boolean {
  const { type, id } = parseGid(gid);
  return type === "Product" && shop.products.has(id);
}

interface FileCreateInput {
  originalSource: string;
  alt?: string | null;
  filename?: string | null;
  contentType?: string | null;
}

export const experimentResolvers: ResolverMap = {
  "Mutation.fileCreate": (_source, args: { files: FileCreateInput[] }, ctx) => {
    const userErrors: { code: string; field: string[]; message: string }[] = [];
    args.files.forEach((input, index) => {
      if (input.contentType && input.contentType !== "IMAGE") {
        userErrors.push({ code: "INVALID", field: ["files", String(index), "contentType"], message: `The local store only creates IMAGE files, not ${input.contentType}` });
      } else if (!stagedUploadFor(ctx.data, ctx.shop.domain, input.originalSource) && !/^https?:\/\//.test(input.originalSource)) {
        userErrors.push({ code: "INVALID", field: ["files", String(index), "originalSource"], message: "Original source is invalid" });
      }
    });
    if (userErrors.length) return { files: null, userErrors };
    const nowIso = new Date().toISOString();
    const files = args.files.map((input) => {
      const media = newMediaFromSource(ctx.data, ctx.shop, input.originalSource, input.alt ?? "", nowIso);
      detachedFiles(ctx.shop).set(media.id, media);
      processMedia(ctx.data, media);
      return { __typename: "MediaImage" as const, ...media };
    });
    return { files, userErrors };
  },

  "Mutation.fileDelete": (_source, args: { fileIds: string[] }, ctx) => {
    const files = detachedFiles(ctx.shop);
    const userErrors: { code: string; field: string[]; message: string }[] = [];
    const deletedFileIds: string[] = [];
    args.fileIds.forEach((gid, index) => {
      const { type, id } = parseGid(gid);
      const onProducts = [...ctx.shop.products.values()].filter((p) => p.media.some((m) => m.id === id));
      if (type !== "MediaImage" || (!files.has(id) && onProducts.length === 0)) {
        userErrors.push({ code: "FILE_DOES_NOT_EXIST", field: ["fileIds", String(index)], message: `File id ${gid} does not exist.` });
        return;
      }
      // Deleting a file removes it from every product that shows it, as Shopify does.
      for (const product of onProducts) product.media = product.media.filter((m) => m.id !== id);
      files.delete(id);
      deletedFileIds.push(gid);
    });
    return { deletedFileIds: userErrors.length ? null : deletedFileIds, userErrors };
  },

  "Mutation.metafieldDefinitionCreate": (_source, args: { definition: Record<string, unknown> }, ctx) => {
    const state = experimentStoreState(ctx.shop);
    const d = args.definition as { namespace?: string; key: string; ownerType: string; type: string; access?: { storefront?: string } };
    const namespace = resolveNamespace(d.namespace);
    if (state.definitions.some((x) => x.namespace === namespace && x.key === d.key && x.ownerType === d.ownerType)) {
      return { createdDefinition: null, userErrors: [{ code: "TAKEN", field: ["definition", "key"], message: "Key is in use for Product metafields on the 'namespace' namespace." }] };
    }
    const created: StoredDefinition = { id: nextId++, namespace, key: d.key, ownerType: d.ownerType, type: d.type, storefrontAccess: d.access?.storefront ?? "NONE" };
    state.definitions.push(created);
    return { createdDefinition: { ...created, id: toGid("MetafieldDefinition", created.id) }, userErrors: [] };
  },

  "Mutation.metafieldsSet": (_source, args: { metafields: Array<{ ownerId: string; namespace?: string | null; key: string; type?: string | null; value: string }> }, ctx) => {
    const state = experimentStoreState(ctx.shop);
    const userErrors: { code: string; field: string[]; message: string; elementIndex: number }[] = [];
    args.metafields.forEach((input, index) => {
      if (!ownerExists(ctx.shop, input.ownerId)) userErrors.push({ code: "INVALID", field: ["metafields", String(index), "ownerId"], message: "Owner does not exist.", elementIndex: index });
      if (input.type === "json") {
        try {
          JSON.parse(input.value);
        } catch {
          userErrors.push({ code: "INVALID_VALUE", field: ["metafields", String(index), "value"], message: "Value must be valid JSON.", elementIndex: index });
        }
      }
    });
    // metafieldsSet is atomic: one refusal writes nothing.
    if (userErrors.length) return { metafields: [], userErrors };
    const nowIso = new Date().toISOString();
    const written = args.metafields.map((input) => {
      const namespace = resolveNamespace(input.namespace);
      const key = metafieldKey(input.ownerId, namespace, input.key);
      const existing = state.metafields.get(key);
      const stored: StoredMetafield = { id: existing?.id ?? nextId++, ownerId: input.ownerId, namespace, key: input.key, type: input.type ?? existing?.type ?? "single_line_text_field", value: input.value, updatedAt: nowIso };
      state.metafields.set(key, stored);
      return { ...stored, id: toGid("Metafield", stored.id) };
    });
    return { metafields: written, userErrors };
  },

  "Mutation.metafieldsDelete": (_source, args: { metafields: Array<{ ownerId: string; namespace: string; key: string }> }, ctx) => {
    const state = experimentStoreState(ctx.shop);
    const deletedMetafields = args.metafields.map((input) => {
      const key = metafieldKey(input.ownerId, resolveNamespace(input.namespace), input.key);
      // Deleting what does not exist answers null in its slot, not an error.
      return state.metafields.delete(key) ? { ownerId: input.ownerId, namespace: input.namespace, key: input.key } : null;
    });
    return { deletedMetafields, userErrors: [] };
  },

  "Mutation.webPixelCreate": (_source, args: { webPixel: { settings: unknown } }, ctx) => {
    const state = experimentStoreState(ctx.shop);
    if (state.webPixel) return { webPixel: null, userErrors: [{ code: "TAKEN", field: ["webPixel"], message: "Web pixel is taken." }] };
    const settings = typeof args.webPixel.settings === "string" ? args.webPixel.settings : JSON.stringify(args.webPixel.settings);
    state.webPixel = { id: nextId++, settings };
    return { webPixel: { id: toGid("WebPixel", state.webPixel.id), settings }, userErrors: [] };
  },

  // Without an id, the calling app's own pixel (one per app), as Shopify answers it.
  "QueryRoot.webPixel": (_source, args: { id?: string | null }, ctx) => {
    const { webPixel } = experimentStoreState(ctx.shop);
    if (!webPixel || (args.id && args.id !== toGid("WebPixel", webPixel.id))) return null;
    return { id: toGid("WebPixel", webPixel.id), settings: webPixel.settings };
  },

  "Mutation.webPixelUpdate": (_source, args: { id: string; webPixel: { settings: unknown } }, ctx) => {
    const state = experimentStoreState(ctx.shop);
    if (!state.webPixel || toGid("WebPixel", state.webPixel.id) !== args.id) {
      return { webPixel: null, userErrors: [{ code: "NOT_FOUND", field: ["id"], message: "Web pixel not found." }] };
    }
    state.webPixel.settings = typeof args.webPixel.settings === "string" ? args.webPixel.settings : JSON.stringify(args.webPixel.settings);
    return { webPixel: { id: args.id, settings: state.webPixel.settings }, userErrors: [] };
  },
};
