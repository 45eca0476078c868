import { randomUUID } from "node:crypto";
import { Prisma as PostgresPrisma } from "@pis/db-postgres";
import { Prisma as SqlitePrisma } from "@pis/db-sqlite";
import type { Db } from "~/db/client.server";
import type { DatabaseKind } from "~/db/database-url";
import { timestamp } from "~/queue/raw-sql.server";
import type { JournalReader, JournalWriter } from "./ingest-journal.server";
import { IngestRateLimiter, type IngestLimits } from "./ingest-limits";
import { dedupeKey, productNumericId, type PixelPayload } from "./pixel-payload";

/**
 * Storefront event ingestion. A request is checked here (shop key, rate
 * limits, experiment, arm, product) and its events appended to the journal;
 * it is answered once they are on disk, so an acknowledged event is never
 * lost. A loader moves the journal into the database behind it, in
 * transactions of up to a few thousand events (raw rows, visitors and the
 * per-arm, per-day aggregates together), so storefront peaks are absorbed by
 * the journal, not by the database. Duplicates are dropped while loading.
 */

export type IngestResult =
  | { kind: "accepted"; events: number; ignored: number }
  | { kind: "unknown_key" }
  | { kind: "rate_limited"; retryAfterMs: number };

interface LiveExperiment {
  shopId: string;
  productId: string;
  running: boolean;
  armKeys: Set<string>;
}

interface AcceptedEvent {
  shopId: string;
  experimentId: string;
  armKey: string;
  type: "view" | "add_to_cart" | "order";
  dedupeKey: string;
  clientId: string;
  quantity: number;
  revenueMicros: bigint;
}

/** How long a shop key or an experiment's state is trusted from memory; a pause takes effect within this. */
const CACHE_MS = 5_000;
const MAX_GROUP_EVENTS = 2_000;
const ROWS_PER_STATEMENT = 400;
/** How often the loader looks for new lines when it has caught up. */
const LOAD_INTERVAL_MS = 50;
/** After a failed load (the database restarting, say), the same lines are tried again after this. */
const LOAD_RETRY_MS = 1_000;

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Each generated client only recognises SQL fragments built by its own
 * runtime, so nested fragments must come from the client in use.
 */
function sqlHelpers(dialect: DatabaseKind): Pick<typeof SqlitePrisma, "sql" | "join" | "raw"> {
  return dialect === "postgres" ? (PostgresPrisma as unknown as typeof SqlitePrisma) : SqlitePrisma;
}

/** A journal line: when one request was received, and its accepted events, compact. */
type JournalEvent = [shopId: string, experimentId: string, armKey: string, type: AcceptedEvent["type"], dedupeKey: string, clientId: string, quantity: number, revenueMicros: string];
interface JournalLine {
  t: number;
  e: JournalEvent[];
}

export interface IngestDeps {
  db: Db;
  limits: IngestLimits;
  journal: JournalWriter;
  now?: () => number;
}

/** Checks a request and journals what it may count; answers once that is on disk. */
export class EventIngestor {
  private readonly db: Db;
  private readonly journal: JournalWriter;
  private readonly now: () => number;
  private readonly limiter: IngestRateLimiter;
  private readonly keys = new Map<string, { shopId: string | null; until: number }>();
  private readonly experiments = new Map<string, { value: LiveExperiment | null; until: number }>();

  constructor(deps: IngestDeps) {
    this.db = deps.db;
    this.journal = deps.journal;
    this.now = deps.now ?? Date.now;
    this.limiter = new IngestRateLimiter(deps.limits, this.now);
  }

  /** The journal's writer id, which its loader needs. */
  get journalOwner(): string {
    return this.journal.owner;
  }

  /** Takes no more events. */
  close(): void {
    this.journal.close();
  }

  async ingest(payload: PixelPayload): Promise<IngestResult> {
    const shopId = await this.shopForKey(payload.key);
    if (!shopId) return { kind: "unknown_key" };
    const retryAfterMs = this.limiter.take(shopId, payload.clientId, payload.events.length);
    if (retryAfterMs > 0) return { kind: "rate_limited", retryAfterMs };

    const accepted: JournalEvent[] = [];
    let ignored = 0;
    for (const event of payload.events) {
      const experiment = await this.experiment(event.experimentId);
      // Another shop's experiment answers exactly like a missing one.
      if (
        !experiment ||
        experiment.shopId !== shopId ||
        !experiment.running ||
        !experiment.armKeys.has(event.arm) ||
        experiment.productId !== productNumericId(event.productId)
      ) {
        ignored++;
        continue;
      }
      const revenueMicros = Math.round((event.type === "order" ? (event.revenue ?? 0) : 0) * 1_000_000);
      accepted.push([shopId, event.experimentId, event.arm, event.type, dedupeKey(event), payload.clientId, event.quantity, String(revenueMicros)]);
    }
    if (accepted.length) await this.journal.append(JSON.stringify({ t: this.now(), e: accepted } satisfies JournalLine));
    return { kind: "accepted", events: accepted.length, ignored };
  }

  private async shopForKey(key: string): Promise<string | null> {
    const t = this.now();
    const cached = this.keys.get(key);
    if (cached && cached.until > t) return cached.shopId;
    const row = await this.db.pixelKey.findUnique({ where: { key }, select: { shopId: true } });
    // Unknown keys are remembered too, so a forger cannot turn each request into a query.
    if (this.keys.size > 10_000) this.keys.clear();
    this.keys.set(key, { shopId: row?.shopId ?? null, until: t + CACHE_MS });
    return row?.shopId ?? null;
  }

  private async experiment(id: string): Promise<LiveExperiment | null> {
    const t = this.now();
    const cached = this.experiments.get(id);
    if (cached && cached.until > t) return cached.value;
    const row = await this.db.experiment.findUnique({
      where: { id },
      select: { shopId: true, productGid: true, status: true, arms: { select: { key: true } } },
    });
    const value = row
      ? {
          shopId: row.shopId,
          productId: productNumericId(row.productGid),
          running: row.status === "running",
          armKeys: new Set(row.arms.map((arm) => arm.key)),
        }
      : null;
    if (this.experiments.size > 10_000) this.experiments.clear();
    this.experiments.set(id, { value, until: t + CACHE_MS });
    return value;
  }
}

export interface LoaderDeps {
  db: Db;
  dialect: DatabaseKind;
  reader: JournalReader;
  log?: (message: string, error: unknown) => void;
}

/**
 * Moves the journal into the database. On SQLite every statement runs on the
 * calling thread, so in production it runs in a thread of its own (see
 * server.mjs) and never holds up the requests being answered.
 */
export class JournalLoader {
  private readonly db: Db;
  private readonly dialect: DatabaseKind;
  private readonly reader: JournalReader;
  private readonly log: (message: string, error: unknown) => void;
  private loading: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(deps: LoaderDeps) {
    this.db = deps.db;
    this.dialect = deps.dialect;
    this.reader = deps.reader;
    this.log = deps.log ?? ((message, error) => console.error(message, error));
  }

  /** Loads the journal into the database as it grows, until stopped. */
  start(): void {
    if (this.timer) return;
    const tick = async () => {
      let delay = LOAD_INTERVAL_MS;
      try {
        // Caught up when a pass loads nothing; otherwise go again at once.
        delay = (await this.loadOnce()) > 0 ? 0 : LOAD_INTERVAL_MS;
        this.failing = false;
      } catch (error) {
        // Logged once per outage, not once per retry.
        if (!this.failing) this.log("pixel events: loading the journal into the database failed; retrying", error);
        this.failing = true;
        delay = LOAD_RETRY_MS;
      }
      if (this.timer) this.timer = setTimeout(() => void tick(), delay).unref();
    };
    this.timer = setTimeout(() => void tick(), 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops loading after one last full load. */
  async close(): Promise<void> {
    this.stop();
    try {
      await this.flush();
    } finally {
      this.reader.close();
    }
  }

  /** Loads everything journaled so far (tests, shutdown). */
  async flush(): Promise<void> {
    while ((await this.loadOnce()) > 0) {
      // Keep going until a pass finds nothing.
    }
  }

  private loadOnce(): Promise<number> {
    // One pass at a time, shared by the timer and flush().
    this.loading ??= this.reader
      .drain((lines) => this.loadLines(lines))
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  /** Commits in groups of lines received on the same day (the aggregates are per day), stamped with the group's last receipt. */
  private async loadLines(lines: string[]): Promise<void> {
    let group: AcceptedEvent[] = [];
    let groupAt = 0;
    const commitGroup = async () => {
      if (group.length) await this.commit(group, groupAt);
      group = [];
    };
    for (const text of lines) {
      const line = JSON.parse(text) as JournalLine;
      if (group.length && (group.length + line.e.length > MAX_GROUP_EVENTS || utcDay(line.t) !== utcDay(groupAt))) await commitGroup();
      groupAt = line.t;
      for (const [shopId, experimentId, armKey, type, key, clientId, quantity, revenueMicros] of line.e) {
        group.push({ shopId, experimentId, armKey, type, dedupeKey: key, clientId, quantity, revenueMicros: BigInt(revenueMicros) });
      }
    }
    await commitGroup();
  }

  /** One transaction: raw events, visitors, aggregates. Returns the keys of events stored (not duplicates). */
  private async commit(events: AcceptedEvent[], receivedAt: number): Promise<Set<string>> {
    const now = new Date(receivedAt);
    const at = timestamp(this.dialect, now);
    const day = now.toISOString().slice(0, 10);
    // Two requests in one group may carry the same event.
    const unique = [...new Map(events.map((e) => [`${e.experimentId}|${e.dedupeKey}`, e])).values()];

    const Prisma = sqlHelpers(this.dialect);
    return this.db.$transaction(async (tx) => {
      const stored = new Set<string>();
      for (const part of chunks(unique, ROWS_PER_STATEMENT)) {
        // One JSON parameter for the whole batch instead of eleven per row: binding thousands of
        // parameters through the driver cost more than the insert itself (measured: twice the throughput).
        const payload = JSON.stringify(part.map((e) => [randomUUID(), e.shopId, e.experimentId, e.armKey, e.type, e.dedupeKey, e.clientId, e.quantity, String(e.revenueMicros)]));
        const source =
          this.dialect === "postgres"
            ? Prisma.sql`SELECT x->>0, x->>1, x->>2, x->>3, x->>4, x->>5, x->>6, (x->>7)::int, (x->>8)::bigint, ${at}, ${at} FROM json_array_elements(${payload}::json) AS x`
            : Prisma.sql`SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, CAST(value->>7 AS INTEGER), CAST(value->>8 AS INTEGER), ${at}, ${at} FROM json_each(${payload})`;
        const rows = await tx.$queryRaw<Array<{ experimentId: string; dedupeKey: string }>>`
          INSERT INTO "ExperimentEvent" ("id", "shopId", "experimentId", "armKey", "type", "dedupeKey", "clientId", "quantity", "revenueMicros", "occurredAt", "receivedAt")
          ${source} WHERE true
          ON CONFLICT ("experimentId", "dedupeKey") DO NOTHING
          RETURNING "experimentId", "dedupeKey"`;
        for (const row of rows) stored.add(`${row.experimentId}|${row.dedupeKey}`);
      }
      const fresh = unique.filter((e) => stored.has(`${e.experimentId}|${e.dedupeKey}`));
      if (!fresh.length) return stored;

      // Visitors: the first event of a (experiment, client) pair creates it on that event's arm.
      const visitorKey = (experimentId: string, clientId: string) => `${experimentId}|${clientId}`;
      const firstByVisitor = new Map<string, AcceptedEvent>();
      for (const e of fresh) if (!firstByVisitor.has(visitorKey(e.experimentId, e.clientId))) firstByVisitor.set(visitorKey(e.experimentId, e.clientId), e);
      const newVisitors = new Set<string>();
      for (const part of chunks([...firstByVisitor.values()], ROWS_PER_STATEMENT)) {
        const rows = await tx.$queryRaw<Array<{ experimentId: string; clientId: string }>>`
          INSERT INTO "ExperimentVisitor" ("experimentId", "clientId", "shopId", "armKey", "addedToCart", "purchased", "revenueMicros", "firstSeenAt")
          VALUES ${Prisma.join(part.map((e) => Prisma.sql`(${e.experimentId}, ${e.clientId}, ${e.shopId}, ${e.armKey}, false, false, 0, ${at})`))}
          ON CONFLICT ("experimentId", "clientId") DO NOTHING
          RETURNING "experimentId", "clientId"`;
        for (const row of rows) newVisitors.add(visitorKey(row.experimentId, row.clientId));
      }

      // The arm a visitor counts in is the arm of their first event, ever (sticky assignment).
      const armOf = new Map<string, string>();
      for (const [key, e] of firstByVisitor) if (newVisitors.has(key)) armOf.set(key, e.armKey);
      const returning = [...firstByVisitor.entries()].filter(([key]) => !newVisitors.has(key)).map(([, e]) => e);
      for (const part of chunks(returning, ROWS_PER_STATEMENT)) {
        const rows = await tx.$queryRaw<Array<{ experimentId: string; clientId: string; armKey: string }>>`
          SELECT "experimentId", "clientId", "armKey" FROM "ExperimentVisitor"
          WHERE "experimentId" IN (${Prisma.join([...new Set(part.map((e) => e.experimentId))])})
            AND "clientId" IN (${Prisma.join([...new Set(part.map((e) => e.clientId))])})`;
        for (const row of rows) armOf.set(visitorKey(row.experimentId, row.clientId), row.armKey);
      }

      type Delta = { shopId: string; visitors: number; views: number; addToCarts: number; addToCartVisitors: number; orders: number; purchasers: number; revenueMicros: bigint };
      const deltas = new Map<string, Delta>();
      const delta = (e: AcceptedEvent) => {
        const arm = armOf.get(visitorKey(e.experimentId, e.clientId)) ?? e.armKey;
        const key = `${e.experimentId}|${arm}`;
        let d = deltas.get(key);
        if (!d) {
          d = { shopId: e.shopId, visitors: 0, views: 0, addToCarts: 0, addToCartVisitors: 0, orders: 0, purchasers: 0, revenueMicros: 0n };
          deltas.set(key, d);
        }
        return d;
      };
      for (const key of newVisitors) delta(firstByVisitor.get(key)!).visitors++;

      const byType = (type: AcceptedEvent["type"]) => fresh.filter((e) => e.type === type);
      for (const e of byType("view")) delta(e).views++;
      for (const e of byType("add_to_cart")) delta(e).addToCarts += e.quantity;
      for (const e of byType("order")) {
        const d = delta(e);
        d.orders++;
        d.revenueMicros += e.revenueMicros;
      }
      // A visitor converts once: flip the flag where it was false; only the rows flipped count.
      for (const [type, column] of [
        ["add_to_cart", "addedToCart"],
        ["order", "purchased"],
      ] as const) {
        const converting = byType(type);
        for (const experimentId of new Set(converting.map((e) => e.experimentId))) {
          const clients = [...new Set(converting.filter((e) => e.experimentId === experimentId).map((e) => e.clientId))];
          const flipped = await tx.$queryRaw<Array<{ clientId: string }>>`
            UPDATE "ExperimentVisitor" SET ${Prisma.raw(`"${column}"`)} = true
            WHERE "experimentId" = ${experimentId} AND "clientId" IN (${Prisma.join(clients)}) AND ${Prisma.raw(`"${column}"`)} = false
            RETURNING "clientId"`;
          for (const row of flipped) {
            const e = converting.find((c) => c.experimentId === experimentId && c.clientId === row.clientId)!;
            if (type === "add_to_cart") delta(e).addToCartVisitors++;
            else delta(e).purchasers++;
          }
        }
      }
      // One statement per experiment adds every buyer's revenue.
      const revenue = new Map<string, Map<string, bigint>>();
      for (const e of byType("order")) {
        if (e.revenueMicros === 0n) continue;
        const perClient = revenue.get(e.experimentId) ?? new Map<string, bigint>();
        perClient.set(e.clientId, (perClient.get(e.clientId) ?? 0n) + e.revenueMicros);
        revenue.set(e.experimentId, perClient);
      }
      for (const [experimentId, perClient] of revenue) {
        const cases = [...perClient].map(([clientId, micros]) => Prisma.sql`WHEN ${clientId} THEN ${micros}`);
        await tx.$executeRaw`
          UPDATE "ExperimentVisitor" SET "revenueMicros" = "revenueMicros" + CASE "clientId" ${Prisma.join(cases, " ")} ELSE 0 END
          WHERE "experimentId" = ${experimentId} AND "clientId" IN (${Prisma.join([...perClient.keys()])})`;
      }

      const aggregateRows = [...deltas.entries()].map(([key, d]) => {
        const [experimentId, armKey] = key.split("|") as [string, string];
        return Prisma.sql`(${experimentId}, ${armKey}, ${day}, ${d.shopId}, ${d.visitors}, ${d.views}, ${d.addToCarts}, ${d.addToCartVisitors}, ${d.orders}, ${d.purchasers}, ${d.revenueMicros})`;
      });
      for (const part of chunks(aggregateRows, ROWS_PER_STATEMENT)) {
        await tx.$executeRaw`
          INSERT INTO "ExperimentDailyAggregate" ("experimentId", "armKey", "day", "shopId", "visitors", "views", "addToCarts", "addToCartVisitors", "orders", "purchasers", "revenueMicros")
          VALUES ${Prisma.join(part)}
          ON CONFLICT ("experimentId", "armKey", "day") DO UPDATE SET
            "visitors" = "ExperimentDailyAggregate"."visitors" + excluded."visitors",
            "views" = "ExperimentDailyAggregate"."views" + excluded."views",
            "addToCarts" = "ExperimentDailyAggregate"."addToCarts" + excluded."addToCarts",
            "addToCartVisitors" = "ExperimentDailyAggregate"."addToCartVisitors" + excluded."addToCartVisitors",
            "orders" = "ExperimentDailyAggregate"."orders" + excluded."orders",
            "purchasers" = "ExperimentDailyAggregate"."purchasers" + excluded."purchasers",
            "revenueMicros" = "ExperimentDailyAggregate"."revenueMicros" + excluded."revenueMicros"`;
      }
      return stored;
    });
  }
}
