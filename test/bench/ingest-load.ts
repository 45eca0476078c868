/**
 * The load generator of `npm run bench:ingest`, run as its own process so it
 * never shares a CPU's event loop with the server it measures. Posts batches
 * of pixel events with keep-alive connections, `concurrency` requests in
 * flight, for `seconds`; prints one JSON line with events/s and latencies.
 */
import http from "node:http";

const [url, targetsJson, productId, seconds, concurrency, batch] = process.argv.slice(2) as [string, string, string, string, string, string];
/** The shops posting: [pixel key, experiment id] pairs; each request goes to one, in turn. */
const targets = JSON.parse(targetsJson) as Array<[string, string]>;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
let seq = 0;
let sent = 0;

function body(): string {
  const client = `client-${Math.floor(Math.random() * 20_000)}`;
  const [key, experimentId] = targets[sent++ % targets.length]!;
  const events = Array.from({ length: Number(batch) }, () => {
    seq++;
    const roll = Math.random();
    const type = roll < 0.85 ? "view" : roll < 0.97 ? "add_to_cart" : "order";
    return {
      id: `${process.pid}-${seq}`,
      type,
      experimentId,
      arm: Math.random() < 0.5 ? "a" : "b",
      productId: seq % 2 ? Number(productId) : `gid://shopify/Product/${productId}`,
      quantity: 1,
      ...(type === "order" ? { revenue: 20 + Math.random() * 80, orderId: `o-${process.pid}-${seq}` } : {}),
    };
  });
  return JSON.stringify({ key, clientId: client, events });
}

function post(payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent, headers: { "Content-Type": "text/plain", "Content-Length": Buffer.byteLength(payload) } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

const latencies: number[] = [];
const statuses = new Map<number, number>();
const deadline = performance.now() + Number(seconds) * 1000;
const start = performance.now();
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (performance.now() < deadline) {
      const payload = body();
      const t0 = performance.now();
      const status = await post(payload);
      latencies.push(performance.now() - t0);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }),
);
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
const ok = statuses.get(204) ?? 0;
console.log(
  JSON.stringify({
    requests: latencies.length,
    eventsPerSecond: (ok * Number(batch)) / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    statuses: Object.fromEntries(statuses),
  }),
);
agent.destroy();
