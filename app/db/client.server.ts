import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqlitePrismaClient } from "@pis/db-sqlite";
import { PrismaClient as PostgresPrismaClient } from "@pis/db-postgres";
import { databaseKind } from "./database-url";

/**
 * Both generated clients come from one model (prisma/postgres/schema.prisma is
 * derived from prisma/schema.prisma), so they expose the same API; the SQLite
 * one's types stand for both.
 */
export type Db = SqlitePrismaClient;
export type { Prisma } from "@pis/db-sqlite";

// The adapter's own libsql types (its @libsql/client may differ from ours).
type LibsqlConfig = Parameters<PrismaLibSQL["createClient"]>[0];
type Client = ReturnType<PrismaLibSQL["createClient"]>;
type TransactionMode = "write" | "read" | "deferred";

/** How long a SQLite writer waits for another process's lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * The app and its worker processes share one SQLite file, so every connection
 * must wait for a lock rather than fail at once. libsql opens a fresh
 * connection after each transaction (and offers no busy-timeout option), so
 * the pragma is re-applied to each one. Transactions begin IMMEDIATE: a
 * deferred one that reads, then writes, fails at once in WAL mode if another
 * process wrote in between (SQLITE_BUSY_SNAPSHOT ignores the timeout).
 */
export function withBusyTimeout(client: Client): Client {
  let unprepared = true;
  const prepare = async () => {
    if (!unprepared) return;
    unprepared = false;
    await client.execute(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  };
  const delegated = new Set<PropertyKey>(["execute", "batch", "executeMultiple", "migrate"]);
  return new Proxy(client, {
    get(target, property) {
      if (property === "transaction") {
        return async (mode?: TransactionMode) => {
          await prepare();
          // The call hands its connection to the transaction synchronously; the next statement opens another.
          const transaction = target.transaction(mode === "deferred" || mode === undefined ? "write" : mode);
          unprepared = true;
          return transaction;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (!delegated.has(property)) return value.bind(target);
      return async (...args: unknown[]) => {
        await prepare();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

class BusyTolerantLibSQL extends PrismaLibSQL {
  override createClient(config: LibsqlConfig): Client {
    return withBusyTimeout(super.createClient(config));
  }
}

/**
 * Prisma's defaults (2 s to start a transaction, 5 s to finish) fail healthy
 * work on a busy machine or behind SQLite's write lock; these still end a
 * stuck transaction rather than hold locks for ever.
 */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 };

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

/**
 * Prisma's upsert is a read, then an insert or an update, not one statement
 * (this engine never issues INSERT … ON CONFLICT): two requests upserting the
 * same new row, as the admin's layout and page loaders do for a new shop and
 * its session, both read nothing and one insert fails. Tried again, the read
 * finds the row and updates it. (Inside a PostgreSQL transaction the retry
 * fails too, as the transaction is already aborted: the error still surfaces.)
 */
function withRaceSafeUpserts<C extends { $extends: SqlitePrismaClient["$extends"] }>(client: C): Db {
  return client.$extends({
    query: {
      $allModels: {
        async upsert({ args, query }) {
          try {
            return await query(args);
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
            return query(args);
          }
        },
      },
    },
  }) as unknown as Db;
}

export async function connectDb(url: string): Promise<Db> {
  if (databaseKind(url) === "postgres") {
    const client = new PostgresPrismaClient({
      adapter: new PrismaPg({ connectionString: url }),
      transactionOptions: TRANSACTION_OPTIONS,
    });
    await client.$connect();
    return withRaceSafeUpserts(client as unknown as SqlitePrismaClient);
  }
  const client = new SqlitePrismaClient({ adapter: new BusyTolerantLibSQL({ url }), transactionOptions: TRANSACTION_OPTIONS });
  await client.$connect();
  return withRaceSafeUpserts(client);
}
