/**
 * Relay connections as Shopify's Admin API serves them: opaque base64 cursors that
 * carry the sort value and the id of the row, so a cursor stays valid when rows are
 * added or removed, and a pageInfo that is exact in both directions.
 */
import { GraphQLError } from "graphql";

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

type SortValue = string | number;

/** Must match the order `items` are already in. */
export interface Ordering<T> {
  id(item: T): number;
  sortValue(item: T): SortValue;
  reverse: boolean;
}

export const MAX_PAGE_SIZE = 250;

export function paginate<T>(items: T[], args: PageArgs, ordering: Ordering<T>): Connection<T> {
  if (args.first == null && args.last == null) {
    throw new GraphQLError("you must provide one of first or last");
  }
  for (const name of ["first", "last"] as const) {
    const size = args[name];
    if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw new GraphQLError(`The '${name}' argument must be between 0 and ${MAX_PAGE_SIZE}`);
    }
  }
  const cursorOf = (item: T) => encodeCursor(ordering.id(item), ordering.sortValue(item));
  const compareToCursor = (item: T, cursor: string): number => {
    const { id, value } = decodeCursor(cursor);
    const byValue = compareValues(ordering.sortValue(item), value) || ordering.id(item) - id;
    return ordering.reverse ? -byValue : byValue;
  };

  let start = 0;
  let end = items.length;
  if (args.after) {
    const after = args.after;
    while (start < end && compareToCursor(items[start]!, after) <= 0) start += 1;
  }
  if (args.before) {
    const before = args.before;
    while (end > start && compareToCursor(items[end - 1]!, before) >= 0) end -= 1;
  }
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);

  const page = items.slice(start, end);
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: end < items.length,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), "en", { sensitivity: "base" });
}

function encodeCursor(id: number, value: SortValue): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: value })).toString("base64");
}

function decodeCursor(cursor: string): { id: number; value: SortValue } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown; last_value?: unknown };
    if (typeof parsed.last_id === "number" && (typeof parsed.last_value === "string" || typeof parsed.last_value === "number")) {
      return { id: parsed.last_id, value: parsed.last_value };
    }
  } catch {
    // falls through to the error Shopify gives for a cursor it did not issue
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`);
}
