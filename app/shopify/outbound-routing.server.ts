import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * Sends the Shopify library's requests for listed shops to another origin —
 * how the app talks to the local store — without touching anything else on
 * the request path: token exchange, GraphQL and webhooks registration all go
 * through this one fetch. Shops not listed are untouched.
 */
export function routeShopOrigins(overrides: ReadonlyMap<string, string>): void {
  if (overrides.size === 0) return;
  const inner = abstractFetch;
  setAbstractFetchFunc(async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const target = url.protocol === "https:" ? overrides.get(url.hostname) : undefined;
    if (!target) return inner(input, init);
    const routed = `${target}${url.pathname}${url.search}`;
    return inner(typeof input === "string" || input instanceof URL ? routed : new Request(routed, input), init);
  });
}
