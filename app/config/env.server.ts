import { z } from "zod";
import { DEFAULT_DATABASE_URL, databaseKind } from "~/db/database-url";

const myshopifyDomain = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a *.myshopify.com domain");

/**
 * "shop.myshopify.com=http://127.0.0.1:4010/stores/shop.myshopify.com,…":
 * where the Shopify library sends requests meant for that shop. Used to point
 * the app at the local store; real shops are never listed.
 */
const originOverrides = z
  .string()
  .transform((raw, ctx) => {
    const map = new Map<string, string>();
    for (const pair of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
      const [shop, origin] = pair.split("=");
      const shopOk = myshopifyDomain.safeParse(shop);
      const originOk = z.string().url().safeParse(origin);
      if (!shopOk.success || !originOk.success) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${pair}" is not shop.myshopify.com=http://host:port/path` });
        return z.NEVER;
      }
      map.set(shopOk.data, originOk.data.replace(/\/$/, ""));
    }
    return map;
  });

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: z.string().url(),
  SCOPES: z
    .string()
    .min(1)
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean)),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .superRefine((url, ctx) => {
      try {
        databaseKind(url);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      }
    }),
  SHOPIFY_SHOP_ORIGIN_OVERRIDES: originOverrides.optional(),
  LOG_LEVEL: z.enum(["error", "warn", "info", "debug"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

export class InvalidEnvironmentError extends Error {
  override name = "InvalidEnvironmentError";
}

/** Validates without caching, so tests can try bad environments. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(environment)";
    const message = issue.code === "invalid_type" && issue.received === "undefined" ? "is required but not set" : issue.message;
    return `  ${name}: ${message}`;
  });
  throw new InvalidEnvironmentError(`Invalid environment, the app cannot start:\n${lines.join("\n")}\nSee the README's environment table.`);
}

let cached: Env | undefined;

/** The validated environment, read once at start-up. */
export function requireEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
