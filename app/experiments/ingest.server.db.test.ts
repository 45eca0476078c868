/**
 * Ingestion on SQLite and PostgreSQL: events are stored raw and counted in
 * the per-arm daily aggregates once, however often they are re-sent; an
 * order counts once whatever event reports it; another shop's experiment,
 * a paused one or a wrong product are ignored; concurrent requests are all
 * stored; what a process journaled and did not load is loaded by the next.
 */
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TMP } from "../../test/support/databases";
import { useTestDatabase } from "../../test/support/use-test-database";
import { testIngestor } from "../../test/support/event-ingestor";
import { JournalReader, JournalWriter } from "./ingest-journal.server";
import { EventIngestor, JournalLoader } from "./ingest.server";
import type { PixelPayload } from "./pixel-payload";

const t = useTestDatabase();
const KEY_A = "key_a_0123456789abcdef";
const KEY_B = "key_b_0123456789abcdef";

async function seed() {
  const shopA = await t.db.shop.create({ data: { domain: "a.myshopify.com" } });
  const shopB = await t.db.shop.create({ data: { domain: "b.myshopify.com" } });
  await t.db.pixelKey.create({ data: { shopId: shopA.id, key: KEY_A } });
  await t.db.pixelKey.create({ data: { shopId: shopB.id, key: KEY_B } });
  const experiment = await t.db.experiment.create({
    data: {
      shopId: shopA.id,
      productGid: "gid://shopify/Product/1001",
      status: "running",
      controlImageUrl: "https://cdn.shopify.com/s/files/1/0001/files/shirt.jpg",
      controlFileName: "shirt",
      arms: {
        create: [
          { shopId: shopA.id, key: "a", label: "Control", isControl: true, weight: 50, fileStatus: "ready" },
          { shopId: shopA.id, key: "b", label: "Variant B", weight: 50 },
        ],
      },
    },
  });
  return { shopA, shopB, experiment };
}

function ingestor(now = () => Date.UTC(2026, 10, 26, 12)) {
  return testIngestor({ db: t.db, dialect: t.kind, limits: { shopEventsPerSecond: 1000, clientEventsPerMinute: 600 }, now });
}

async function aggregates(experimentId: string) {
  const rows = await t.db.experimentDailyAggregate.findMany({ where: { experimentId }, orderBy: { armKey: "asc" } });
  return Object.fromEntries(rows.map((r) => [r.armKey, { ...r, revenueMicros: Number(r.revenueMicros) }]));
}

describe("EventIngestor", () => {
  it("stores events and aggregates once per event id; product ids as numbers or gids", async () => {
    const { experiment } = await seed();
    const ingest = ingestor();
    const payload: PixelPayload = {
      key: KEY_A,
      clientId: "client-1",
      events: [
        { id: "ev-1", type: "view", experimentId: experiment.id, arm: "b", productId: 1001, quantity: 1 },
        { id: "ev-2", type: "add_to_cart", experimentId: experiment.id, arm: "b", productId: "gid://shopify/Product/1001", quantity: 2 },
        { id: "ev-3", type: "add_to_cart", experimentId: experiment.id, arm: "b", productId: "1001", quantity: 1 },
      ],
    };
    expect(await ingest.ingest(payload)).toEqual({ kind: "accepted", events: 3, ignored: 0 });
    await ingest.flush();
    // Sent again, after the first copy is loaded and while both wait in the journal.
    expect(await ingest.ingest(payload)).toEqual({ kind: "accepted", events: 3, ignored: 0 });
    await ingest.flush();
    await ingest.ingest(payload);
    await ingest.ingest(payload);
    await ingest.flush();
    expect(await t.db.experimentEvent.count({ where: { experimentId: experiment.id } })).toBe(3);
    const agg = await aggregates(experiment.id);
    expect(agg.b).toMatchObject({ day: "2026-11-26", visitors: 1, views: 1, addToCarts: 3, addToCartVisitors: 1 });
  });

  it("counts an order once even when checkout_completed repeats with a new event id", async () => {
    const { experiment } = await seed();
    const ingest = ingestor();
    const order = (id: string) => ({
      key: KEY_A,
      clientId: "buyer",
      events: [{ id, type: "order" as const, experimentId: experiment.id, arm: "a", productId: 1001, quantity: 1, revenue: 49.5, orderId: "gid://shopify/Order/77" }],
    });
    await ingest.ingest(order("ev-10"));
    await ingest.ingest(order("ev-11"));
    await ingest.flush();
    const agg = await aggregates(experiment.id);
    expect(agg.a).toMatchObject({ orders: 1, purchasers: 1, revenueMicros: 49_500_000, visitors: 1 });
    const visitor = await t.db.experimentVisitor.findFirstOrThrow({ where: { experimentId: experiment.id, clientId: "buyer" } });
    expect(visitor.revenueMicros).toBe(49_500_000n);
  });

  it("keeps a visitor in the arm of their first event", async () => {
    const { experiment } = await seed();
    const ingest = ingestor();
    await ingest.ingest({ key: KEY_A, clientId: "c", events: [{ id: "1", type: "view", experimentId: experiment.id, arm: "a", productId: 1001, quantity: 1 }] });
    await ingest.ingest({ key: KEY_A, clientId: "c", events: [{ id: "2", type: "add_to_cart", experimentId: experiment.id, arm: "b", productId: 1001, quantity: 1 }] });
    await ingest.flush();
    const agg = await aggregates(experiment.id);
    expect(agg.a).toMatchObject({ visitors: 1, addToCartVisitors: 1 });
    expect(agg.b).toBeUndefined();
  });

  it("refuses unknown keys and ignores other shops' experiments, paused experiments and other products", async () => {
    const { experiment } = await seed();
    const ingest = ingestor();
    const event = { id: "x", type: "view" as const, experimentId: experiment.id, arm: "a", productId: 1001, quantity: 1 };
    expect(await ingest.ingest({ key: "forged_0123456789abcdef", clientId: "c", events: [event] })).toEqual({ kind: "unknown_key" });
    expect(await ingest.ingest({ key: KEY_B, clientId: "c", events: [event] })).toEqual({ kind: "accepted", events: 0, ignored: 1 });
    expect(await ingest.ingest({ key: KEY_A, clientId: "c", events: [{ ...event, productId: 999 }] })).toEqual({ kind: "accepted", events: 0, ignored: 1 });
    expect(await ingest.ingest({ key: KEY_A, clientId: "c", events: [{ ...event, arm: "d" }] })).toEqual({ kind: "accepted", events: 0, ignored: 1 });
    await t.db.experiment.update({ where: { id: experiment.id }, data: { status: "paused" } });
    expect(await ingestor().ingest({ key: KEY_A, clientId: "c", events: [event] })).toEqual({ kind: "accepted", events: 0, ignored: 1 });
    await ingest.flush();
    expect(await t.db.experimentEvent.count()).toBe(0);
  });

  it("rate-limits a client that floods", async () => {
    const { experiment } = await seed();
    const ingest = testIngestor({ db: t.db, dialect: t.kind, limits: { shopEventsPerSecond: 1000, clientEventsPerMinute: 5 }, now: () => 1_000_000 });
    const events = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, type: "view" as const, experimentId: experiment.id, arm: "a", productId: 1001, quantity: 1 }));
    expect(await ingest.ingest({ key: KEY_A, clientId: "flood", events })).toEqual({ kind: "accepted", events: 5, ignored: 0 });
    expect(await ingest.ingest({ key: KEY_A, clientId: "flood", events: events.slice(0, 1) })).toMatchObject({ kind: "rate_limited" });
    expect(await ingest.ingest({ key: KEY_A, clientId: "other", events: events.slice(0, 1) })).toMatchObject({ kind: "accepted" });
  });

  it("stores every event of many concurrent requests, each visitor once", async () => {
    const { experiment } = await seed();
    const ingest = ingestor();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, r) =>
        ingest.ingest({
          key: KEY_A,
          clientId: `client-${r % 20}`,
          events: Array.from({ length: 10 }, (_, i) => ({
            id: `c${r}-${i}`,
            type: i === 9 ? ("add_to_cart" as const) : ("view" as const),
            experimentId: experiment.id,
            arm: r % 20 < 10 ? "a" : "b",
            productId: 1001,
            quantity: 1,
          })),
        }),
      ),
    );
    expect(results.every((r) => r.kind === "accepted" && r.events === 10)).toBe(true);
    await ingest.flush();
    expect(await t.db.experimentEvent.count()).toBe(400);
    const agg = await aggregates(experiment.id);
    expect(agg.a).toMatchObject({ visitors: 10, views: 180, addToCarts: 20, addToCartVisitors: 10 });
    expect(agg.b).toMatchObject({ visitors: 10, views: 180, addToCarts: 20, addToCartVisitors: 10 });
  });
});

describe("EventIngestor after a crash", () => {
  it("loads what a process journaled and never loaded, once, in the next process", async () => {
    const { experiment } = await seed();
    const dir = mkdtempSync(path.join(TMP, "journal-crash-"));
    try {
      const limits = { shopEventsPerSecond: 1000, clientEventsPerMinute: 600 };
      const crashed = new JournalWriter({ dir, staleOwnerMs: 200 });
      const first = new EventIngestor({ db: t.db, limits, journal: crashed });
      const events = Array.from({ length: 4 }, (_, i) => ({ id: `k${i}`, type: "view" as const, experimentId: experiment.id, arm: "a", productId: 1001, quantity: 1 }));
      expect(await first.ingest({ key: KEY_A, clientId: "before-crash", events })).toMatchObject({ kind: "accepted", events: 4 });
      // It dies before its loader ran: the events are on disk only.
      first.close();
      expect(await t.db.experimentEvent.count()).toBe(0);

      const restarted = new JournalWriter({ dir });
      const next = new JournalLoader({ db: t.db, dialect: t.kind, reader: new JournalReader({ dir, writer: restarted.owner, staleOwnerMs: 200 }) });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await next.close();
      restarted.close();
      expect(await t.db.experimentEvent.count()).toBe(4);
      expect((await aggregates(experiment.id)).a).toMatchObject({ visitors: 1, views: 4 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
