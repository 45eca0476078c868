import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";
import { ADMIN_API_VERSION } from "./app/config/admin-api-version";

// The schema is read from app/types/admin-<version>.schema.json, fetched by
// `npm run graphql-codegen` from Shopify's npm package (never committed).
export default {
  schema: `./app/types/admin-${ADMIN_API_VERSION}.schema.json`,
  documents: ["./app/**/*.{js,ts,jsx,tsx}"],
  projects: {
    default: shopifyApiProject({
      apiType: ApiType.Admin,
      apiVersion: ADMIN_API_VERSION,
      documents: ["./app/**/*.{js,ts,jsx,tsx}", "!./app/**/*.test.*"],
      outputDir: "./app/types",
    }),
  },
};
