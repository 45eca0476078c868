import { experimentResolvers } from "./experiments";
import { mediaResolvers } from "./media";
import { nodeResolvers } from "./node";
import { productResolvers } from "./products";
import { shopResolvers } from "./shop";
import type { ResolverMap } from "./types";

export const resolvers: ResolverMap = { ...productResolvers, ...shopResolvers, ...nodeResolvers, ...mediaResolvers, ...experimentResolvers };
