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
  // Paid image providers; each one is offered only when its key is set. The base URLs point the SDKs elsewhere (tests, proxies).
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  // How long one OpenAI image call may take before it counts as a timeout and is retried; high-quality large images take over a minute.
  OPENAI_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(180_000),
  GEMINI_API_KEY: z.string().min(1).optional(),
  GEMINI_BASE_URL: z.string().url().optional(),
  // Per provider account, shared by every worker. Defaults are the lowest paid tiers, so a new
  // install never provokes 429s: OpenAI tier 1 allows 5 images a minute for GPT Image (raise it
  // to your tier's IPM, up to 250); Gemini's 10 is a cautious figure, set it from the project's
  // quota page. Unset request limits mean only images are paced. The studio runs in-process and
  // is unlimited.
  OPENAI_IMAGES_PER_MINUTE: z.coerce.number().int().min(1).default(5),
  OPENAI_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  GEMINI_IMAGES_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  GEMINI_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  // Job engine: "embedded" keeps jobs in DATABASE_URL; "bullmq" needs Redis.
  QUEUE_DRIVER: z.enum(["embedded", "bullmq"]).default("embedded"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  // Namespace for queue rows and Redis keys, so two installs can share a Redis.
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9-]+$/).default("pis"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  // A worker that stops heartbeating loses its jobs after this long.
  JOB_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  WORKER_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(25_000),
  // Image storage: "local" writes files under STORAGE_DIR; "s3" needs the S3_* settings below.
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  STORAGE_DIR: z.string().min(1).default("./data/storage"),
  // The pixel endpoint's write-ahead journal (app/experiments/ingest-journal.server.ts), on local disk; one subdirectory per database.
  INGEST_JOURNAL_DIR: z.string().min(1).default("./data/ingest-journal"),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)").optional(),
  S3_ENDPOINT: z.string().url("must be a URL such as https://s3.example.com").optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  // Unset: path-style when S3_ENDPOINT is set (most S3-compatible servers need it), virtual-host style on AWS.
  S3_FORCE_PATH_STYLE: z.enum(["true", "false"], { message: 'must be "true" or "false"' }).transform((v) => v === "true").optional(),
  // 32 bytes (base64 or 64 hex digits) encrypting merchants' provider API keys at rest; without it none can be stored.
  SETTINGS_ENCRYPTION_KEY: z
    .string()
    .transform((raw, ctx) => {
      const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
      if (key.length !== 32) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be 32 bytes, as base64 or 64 hex digits (openssl rand -base64 32)" });
        return z.NEVER;
      }
      return key;
    })
    .optional(),
  // Automation: how often and how many times a new product without a photo is re-checked before its images fail.
  AUTOMATION_PHOTO_RECHECK_MS: z.coerce.number().int().min(100).default(5 * 60_000),
  AUTOMATION_PHOTO_CHECKS: z.coerce.number().int().min(1).max(100).default(12),
  // The scheduler tick (scheduled refreshes, delivery-id pruning), run by workers.
  SCHEDULER_TICK_MS: z.coerce.number().int().min(100).default(60_000),
}).superRefine((env, ctx) => {
  if (env.STORAGE_DRIVER !== "s3") return;
  for (const name of ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
    if (!env[name]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [name], message: "is required when STORAGE_DRIVER=s3" });
  }
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
