/**
 * The web pixel's logic, free of the Shopify runtime so it can be tested as
 * a plain module: it receives what `register` passes (analytics, browser,
 * settings) and a clock. It reports events only for products the visitor was
 * assigned an arm for by the theme embed (the `pis_ab` first-party cookie);
 * without an assignment (no consent, no running test) it sends nothing.
 */

export interface PixelApi {
  analytics: { subscribe(name: string, callback: (event: ShopifyEvent) => void | Promise<void>): void };
  browser: {
    cookie: { get(name: string): Promise<string> };
    sendBeacon?(url: string, body: string): Promise<boolean>;
  };
  settings: { shopKey?: string; endpoint?: string };
}

export interface ShopifyEvent {
  id: string;
  clientId: string;
  name?: string;
  timestamp?: string;
  data?: Record<string, unknown>;
}

export interface PixelOptions {
  send?: (url: string, body: string) => Promise<unknown>;
  setTimer?: (callback: () => void, ms: number) => unknown;
  /** How long events wait to be sent together. */
  flushMs?: number;
  maxBatch?: number;
}

type Assignment = { a: string; p: string };
type CompactEvent = {
  id: string;
  type: "view" | "add_to_cart" | "order";
  experimentId: string;
  arm: string;
  productId: string;
  quantity: number;
  revenue?: number;
  orderId?: string;
};

/** "7001", 7001 and "gid://shopify/Product/7001" are the same product. */
export function numericId(id: unknown): string | null {
  if (typeof id !== "string" && typeof id !== "number") return null;
  const match = /(\d+)$/.exec(String(id));
  return match ? match[1]! : null;
}

function get(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

async function assignments(browser: PixelApi["browser"]): Promise<Map<string, { experimentId: string; arm: string }>> {
  const byProduct = new Map<string, { experimentId: string; arm: string }>();
  let raw = "";
  try {
    raw = await browser.cookie.get("pis_ab");
  } catch {
    return byProduct;
  }
  if (!raw) return byProduct;
  try {
    const parsed = JSON.parse(decodeURIComponent(raw)) as Record<string, Assignment>;
    for (const [experimentId, assignment] of Object.entries(parsed)) {
      if (assignment && typeof assignment.a === "string" && assignment.p) byProduct.set(String(assignment.p), { experimentId, arm: assignment.a });
    }
  } catch {
    // A cookie we cannot read means no assignment: report nothing.
  }
  return byProduct;
}

export function createPixel({ analytics, browser, settings }: PixelApi, options: PixelOptions = {}) {
  const send =
    options.send ??
    ((url: string, body: string) =>
      fetch(url, { method: "POST", body, keepalive: true, headers: { "Content-Type": "text/plain" } }).catch(() => browser.sendBeacon?.(url, body)));
  const setTimer = options.setTimer ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
  const flushMs = options.flushMs ?? 1000;
  const maxBatch = options.maxBatch ?? 20;
  const { shopKey, endpoint } = settings;
  if (!shopKey || !endpoint) return { flush: async () => undefined };

  // Batches are per client id (the endpoint takes one visitor's events per request).
  const pending = new Map<string, CompactEvent[]>();
  let timer: unknown = null;

  async function flush() {
    timer = null;
    const batches = [...pending.entries()];
    pending.clear();
    for (const [clientId, events] of batches) {
      for (let i = 0; i < events.length; i += maxBatch) {
        await send(endpoint!, JSON.stringify({ key: shopKey, clientId, events: events.slice(i, i + maxBatch) }));
      }
    }
  }

  async function enqueue(event: ShopifyEvent, compact: Omit<CompactEvent, "experimentId" | "arm">[], immediately = false) {
    const byProduct = await assignments(browser);
    const list = pending.get(event.clientId) ?? [];
    for (const item of compact) {
      const assigned = byProduct.get(item.productId);
      if (assigned) list.push({ ...item, experimentId: assigned.experimentId, arm: assigned.arm });
    }
    if (!list.length) return;
    pending.set(event.clientId, list);
    if (immediately || list.length >= maxBatch) await flush();
    else if (timer === null) timer = setTimer(() => void flush(), flushMs);
  }

  analytics.subscribe("product_viewed", (event) => {
    const productId = numericId(get(event.data, "productVariant", "product", "id"));
    if (productId) return enqueue(event, [{ id: event.id, type: "view", productId, quantity: 1 }]);
  });

  analytics.subscribe("product_added_to_cart", (event) => {
    const productId = numericId(get(event.data, "cartLine", "merchandise", "product", "id"));
    const quantity = Number(get(event.data, "cartLine", "quantity") ?? 1);
    if (productId) return enqueue(event, [{ id: event.id, type: "add_to_cart", productId, quantity: quantity > 0 ? quantity : 1 }]);
  });

  analytics.subscribe("checkout_completed", (event) => {
    const checkout = get(event.data, "checkout");
    const orderId = numericId(get(checkout, "order", "id")) ?? undefined;
    const lines = (get(checkout, "lineItems") as unknown[] | undefined) ?? [];
    // One order event per tested product, carrying that product's revenue.
    const perProduct = new Map<string, { quantity: number; revenue: number }>();
    for (const line of lines) {
      const productId = numericId(get(line, "variant", "product", "id"));
      if (!productId) continue;
      const quantity = Number(get(line, "quantity") ?? 1);
      const amount = Number(get(line, "finalLinePrice", "amount") ?? Number(get(line, "variant", "price", "amount") ?? 0) * quantity);
      const sum = perProduct.get(productId) ?? { quantity: 0, revenue: 0 };
      perProduct.set(productId, { quantity: sum.quantity + quantity, revenue: sum.revenue + (Number.isFinite(amount) ? amount : 0) });
    }
    const compact = [...perProduct].map(([productId, sum]) => ({
      id: event.id,
      type: "order" as const,
      productId,
      quantity: Math.max(1, sum.quantity),
      revenue: Math.round(sum.revenue * 100) / 100,
      ...(orderId ? { orderId } : {}),
    }));
    // The thank-you page may be the last page: send at once.
    return enqueue(event, compact, true);
  });

  return { flush };
}
