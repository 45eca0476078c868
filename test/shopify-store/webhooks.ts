/**
 * Webhook delivery as Shopify does it for app-specific subscriptions declared in
 * shopify.app.toml: signed JSON POSTs to the subscription URI, a timeout per attempt,
 * and retries while the app does not answer 2xx.
 */
import { createHmac, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse as parseToml } from "smol-toml";
import { ADMIN_API_VERSION } from "./admin-schema";

export interface WebhookSubscription {
  topics: string[];
  uri: string;
}

interface AppToml {
  webhooks?: { subscriptions?: { topics?: string[]; compliance_topics?: string[]; uri?: string }[] };
}

export async function readWebhookSubscriptions(appTomlPath: string): Promise<WebhookSubscription[]> {
  const toml = parseToml(await readFile(appTomlPath, "utf8")) as AppToml;
  return (toml.webhooks?.subscriptions ?? [])
    .filter((s): s is typeof s & { uri: string } => typeof s.uri === "string")
    .map((s) => ({ topics: [...(s.topics ?? []), ...(s.compliance_topics ?? [])], uri: s.uri }));
}

/** `products/update` and the enum spelling `PRODUCTS_UPDATE` name the same topic. */
function sameTopic(a: string, b: string): boolean {
  const normal = (topic: string) => topic.replace(/\//g, "_").toUpperCase();
  return normal(a) === normal(b);
}

export interface DeliveryOptions {
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  forgeHmac?: boolean;
}

export interface DeliveryResult {
  /** Status of the last attempt; 0 when it timed out or the connection failed. */
  status: number;
  attempts: number;
  delivered: boolean;
}

export interface WebhookDelivererConfig {
  appUrl: string;
  apiSecret: string;
  appTomlPath: string;
  timeoutMs: number;
  retryDelaysMs: number[];
}

export async function deliverWebhook(
  config: WebhookDelivererConfig,
  shop: string,
  topic: string,
  payload: unknown,
  opts: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const subscriptions = await readWebhookSubscriptions(config.appTomlPath);
  const subscription = subscriptions.find((s) => s.topics.some((t) => sameTopic(t, topic)));
  if (!subscription) throw new Error(`${config.appTomlPath} has no webhook subscription for ${topic}`);
  const url = new URL(subscription.uri, config.appUrl).toString();
  const headerTopic = subscription.topics.find((t) => sameTopic(t, topic))!;

  const body = JSON.stringify(payload);
  const signingKey = opts.forgeHmac ? `forged-${config.apiSecret}` : config.apiSecret;
  const headers = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": headerTopic,
    "X-Shopify-Hmac-Sha256": createHmac("sha256", signingKey).update(body).digest("base64"),
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-Webhook-Id": opts.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": opts.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": opts.triggeredAt ?? new Date().toISOString(),
    "X-Shopify-API-Version": ADMIN_API_VERSION,
  };

  let status = 0;
  const maxAttempts = 1 + config.retryDelaysMs.length;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    status = await attemptDelivery(url, headers, body, config.timeoutMs);
    if (status >= 200 && status < 300) return { status, attempts: attempt, delivered: true };
    const delay = config.retryDelaysMs[attempt - 1];
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return { status, attempts: maxAttempts, delivered: false };
}

async function attemptDelivery(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  try {
    const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}
