import { toGid } from "../gid";
import type { ShopState } from "../state";
import type { ResolverMap } from "./types";

export const shopResolvers: ResolverMap = {
  "QueryRoot.shop": (_source, _args, ctx) => ctx.shop,
  "Shop.id": (shop: ShopState) => toGid("Shop", shop.id),
  "Shop.myshopifyDomain": (shop: ShopState) => shop.domain,
  "Shop.contactEmail": (shop: ShopState) => shop.email,
  "Shop.description": () => null,
  "Shop.ianaTimezone": () => "UTC",
  "Shop.timezoneAbbreviation": () => "UTC",
  "Shop.weightUnit": () => "KILOGRAMS",
  "Shop.url": (shop: ShopState) => `https://${shop.domain}`,
  "Shop.primaryDomain": (shop: ShopState) => ({ id: toGid("Domain", shop.id), host: shop.domain, url: `https://${shop.domain}`, sslEnabled: true }),
  "Shop.plan": () => ({ displayName: "Basic", publicDisplayName: "Basic", partnerDevelopment: true, shopifyPlus: false }),
};
