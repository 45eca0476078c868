import type { GraphQLResolveInfo } from "graphql";
import type { ShopState, StoreData } from "../state";

export interface ResolverContext {
  data: StoreData;
  shop: ShopState;
  /** Where this store is reachable, for the CDN URLs it hands out. */
  origin: string;
  /** Shopify reports ignored search terms in `extensions.search`. */
  searchWarnings: { path: readonly (string | number)[]; query: string; warnings: { field: string; message: string }[] }[];
}

// Resolvers receive whatever their parent resolver returned; each narrows it itself.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver = (source: any, args: any, context: ResolverContext, info: GraphQLResolveInfo) => unknown;

/** Keyed `Type.field`, e.g. `QueryRoot.products`. */
export type ResolverMap = Record<string, Resolver>;
