import { ApiVersion } from "@shopify/shopify-api";

/**
 * The one Admin API version. shopify.server.ts, the GraphQL codegen config
 * (.graphqlrc.ts) and the local test store use this constant;
 * shopify.app.toml cannot import it, so a test holds it equal.
 */
export const ADMIN_API_VERSION = ApiVersion.July26;
