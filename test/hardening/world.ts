/**
 * Shop B's rows, read straight from the database: every table with a
 * `shopId` column (found from the database's own catalogue, so a new table
 * is included without being named here), the Shop row and its sessions.
 * The suite attacks with these ids, and compares a snapshot of them before
 * and after to prove nothing of B's changed.
 */
import { randomInt } from "node:crypto";
import { connectDb, type Db } from "~/db/client.server";
import { databaseKind } from "~/db/database-url";

export type Row = Record<string, unknown>;

/** Shop B's generated products are renamed to this, so a leak of them cannot be missed. */
export const B_TITLE = "Bravo-only secret product";

export interface ShopRows {
  domain: string;
  shopId: string;
  /** Table name → this shop's rows, ordered by id. */
  tables: Record<string, Row[]>;
}

async function shopScopedTables(db: Db, url: string): Promise<string[]> {
  if (databaseKind(url) === "sqlite") {
    const tables = await db.$queryRawUnsafe<{ name: string }[]>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'",
    );
    const scoped: string[] = [];
    for (const { name } of tables) {
      const columns = await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM pragma_table_info('${name.replace(/'/g, "''")}')`);
      if (columns.some((c) => c.name === "shopId")) scoped.push(name);
    }
    return scoped.sort();
  }
  const rows = await db.$queryRawUnsafe<{ table_name: string }[]>(
    "SELECT DISTINCT table_name::text AS table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'shopId'",
  );
  return rows.map((r) => r.table_name).sort();
}

/** JSON-safe, comparable values (BigInt and Date as strings). */
function plain(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v instanceof Date ? v.toISOString() : v]),
  );
}

export async function readShopRows(databaseUrl: string, domain: string): Promise<ShopRows> {
  const db = await connectDb(databaseUrl);
  try {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
    const tables: Record<string, Row[]> = {
      Shop: [plain(shop as unknown as Row)],
      Session: (await db.session.findMany({ where: { shop: domain }, orderBy: { id: "asc" } })).map((s) => plain(s as unknown as Row)),
    };
    for (const table of await shopScopedTables(db, databaseUrl)) {
      const rows = await db.$queryRawUnsafe<Row[]>(`SELECT * FROM "${table}" WHERE "shopId" = $1`, shop.id);
      tables[table] = rows.map(plain).sort((a, b) => String(a.id ?? JSON.stringify(a)).localeCompare(String(b.id ?? JSON.stringify(b))));
    }
    return { domain, shopId: shop.id, tables };
  } finally {
    await db.$disconnect();
  }
}

/** Columns naming things every shop shares (the preset library, providers). */
const SHARED_VOCABULARY = new Set(["presetId", "providerId"]);

/**
 * What of shop B must never reach shop A: every row id, every product gid,
 * storage keys, titles and names, the access token.
 */
export function secretsOf(rows: ShopRows, otherShop: ShopRows): string[] {
  const found = new Set<string>([rows.shopId]);
  for (const table of Object.values(rows.tables)) {
    for (const row of table) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== "string" || value.length < 8 || SHARED_VOCABULARY.has(column)) continue;
        if (column === "id" || /Id$|Gid$|Key$|^title$|^name$|^accessToken$/.test(column)) found.add(value);
      }
    }
  }
  found.delete(rows.domain);
  // Both shops carry the seeded catalog's titles; only what is B's alone counts.
  const theirs = new Set(Object.values(otherShop.tables).flatMap((table) => table.flatMap((row) => Object.values(row))));
  return [...found].filter((value) => !theirs.has(value));
}

/**
 * A value shaped exactly like `value` (same length, same character classes,
 * same `gid://…/` prefix) that names nothing: the "missing id" a foreign id
 * must be indistinguishable from.
 */
export function lookalike(value: string): string {
  const slash = value.lastIndexOf("/");
  const prefix = value.slice(0, slash + 1);
  const rest = value.slice(slash + 1);
  // Keep the first character: cuids always start with "c".
  const swapped = [...rest]
    .map((ch, i) => {
      if (i === 0 && /[a-z]/i.test(ch)) return ch;
      if (/[0-9]/.test(ch)) return String(i === 0 ? randomInt(1, 10) : randomInt(0, 10));
      if (/[a-z]/.test(ch)) return String.fromCharCode(97 + randomInt(0, 26));
      if (/[A-Z]/.test(ch)) return String.fromCharCode(65 + randomInt(0, 26));
      return ch;
    })
    .join("");
  return swapped === rest ? lookalike(value) : prefix + swapped;
}
