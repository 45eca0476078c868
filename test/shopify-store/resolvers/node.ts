import { parseGid } from "../gid";
import type { ShopState } from "../state";
import { findDetachedMediaNode } from "./media";
import { findProductDomainNode } from "./products";
import type { ResolverMap } from "./types";

/** Each domain answers for the global id types it owns; later domains (files, metafields…) join this list. */
const finders: ((shop: ShopState, type: string, id: number) => object | null)[] = [findProductDomainNode, findDetachedMediaNode];

function findNode(shop: ShopState, gid: string): object | null {
  const { type, id } = parseGid(gid);
  for (const find of finders) {
    const found = find(shop, type, id);
    if (found) return found;
  }
  return null;
}

export const nodeResolvers: ResolverMap = {
  "QueryRoot.node": (_source, args: { id: string }, ctx) => findNode(ctx.shop, args.id),
  "QueryRoot.nodes": (_source, args: { ids: string[] }, ctx) => args.ids.map((id) => findNode(ctx.shop, id)),
};
