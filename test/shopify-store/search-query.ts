/**
 * Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax) as used by
 * the `query` argument of connections: terms joined by implicit AND, explicit AND/OR/NOT,
 * a leading `-` to negate, parentheses, `field:value`, comparators `field:>value`,
 * quoted values, and a trailing `*` for prefix matches.
 */
export type Comparator = ":" | ">" | "<" | ">=" | "<=";

export interface Term {
  kind: "term";
  /** undefined for a bare word. */
  field?: string;
  comparator: Comparator;
  value: string;
  prefix: boolean;
}

export type SearchNode =
  | Term
  | { kind: "and" | "or"; children: SearchNode[] }
  | { kind: "not"; child: SearchNode };

type Token = { kind: "lparen" } | { kind: "rparen" } | { kind: "word"; text: string; negated: boolean };

export function parseSearchQuery(query: string): SearchNode | undefined {
  const tokens = tokenize(query);
  let position = 0;

  const parseOr = (): SearchNode | undefined => {
    const children: SearchNode[] = [];
    for (;;) {
      const child = parseAnd();
      if (child) children.push(child);
      const next = tokens[position];
      if (next?.kind === "word" && !next.negated && next.text === "OR") {
        position += 1;
        continue;
      }
      break;
    }
    return children.length > 1 ? { kind: "or", children } : children[0];
  };

  const parseAnd = (): SearchNode | undefined => {
    const children: SearchNode[] = [];
    for (;;) {
      const next = tokens[position];
      if (!next || next.kind === "rparen") break;
      if (next.kind === "word" && !next.negated && next.text === "OR") break;
      if (next.kind === "word" && !next.negated && next.text === "AND") {
        position += 1;
        continue;
      }
      const unary = parseUnary();
      if (unary) children.push(unary);
    }
    return children.length > 1 ? { kind: "and", children } : children[0];
  };

  const parseUnary = (): SearchNode | undefined => {
    const token = tokens[position];
    position += 1;
    if (!token) return undefined;
    if (token.kind === "lparen") {
      const inner = parseOr();
      if (tokens[position]?.kind === "rparen") position += 1;
      return inner;
    }
    if (token.kind === "rparen") return undefined;
    if (!token.negated && token.text === "NOT") {
      const operand = parseUnary();
      return operand ? { kind: "not", child: operand } : undefined;
    }
    const term = parseTerm(token.text);
    return token.negated ? { kind: "not", child: term } : term;
  };

  return parseOr();
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i]!;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === "(") {
      tokens.push({ kind: "lparen" });
      i += 1;
    } else if (char === ")") {
      tokens.push({ kind: "rparen" });
      i += 1;
    } else {
      const negated = char === "-";
      if (negated) i += 1;
      let text = "";
      // A word runs to whitespace or a paren, but quotes keep both inside the value.
      while (i < query.length && !/[\s()]/.test(query[i]!)) {
        const quote = query[i]!;
        if (quote === '"' || quote === "'") {
          const end = query.indexOf(quote, i + 1);
          const stop = end === -1 ? query.length : end;
          text += quote + query.slice(i + 1, stop) + quote;
          i = stop + 1;
        } else {
          text += quote;
          i += 1;
        }
      }
      if (text) tokens.push({ kind: "word", text, negated });
    }
  }
  return tokens;
}

function parseTerm(text: string): Term {
  const match = /^([A-Za-z_][A-Za-z0-9_.]*):(>=|<=|>|<)?(.*)$/.exec(text);
  const field = match?.[1]?.toLowerCase();
  const comparator = (match?.[2] ?? ":") as Comparator;
  let raw = match ? match[3]! : text;
  let prefix = false;
  if (/^(["']).*\1$/.test(raw) && raw.length >= 2) {
    raw = raw.slice(1, -1);
  } else if (raw.endsWith("*")) {
    prefix = true;
    raw = raw.slice(0, -1);
  }
  return { kind: "term", field, comparator, value: raw, prefix };
}

export type TermMatcher = (term: Term) => boolean;

export function evaluateSearch(node: SearchNode | undefined, matchTerm: TermMatcher): boolean {
  if (!node) return true;
  switch (node.kind) {
    case "term":
      return matchTerm(node);
    case "and":
      return node.children.every((child) => evaluateSearch(child, matchTerm));
    case "or":
      return node.children.some((child) => evaluateSearch(child, matchTerm));
    case "not":
      return !evaluateSearch(node.child, matchTerm);
  }
}

/** Every field named in the query, so callers can warn about the ones they do not know. */
export function searchFields(node: SearchNode | undefined): string[] {
  if (!node) return [];
  switch (node.kind) {
    case "term":
      return node.field ? [node.field] : [];
    case "and":
    case "or":
      return node.children.flatMap(searchFields);
    case "not":
      return searchFields(node.child);
  }
}

export function matchText(actual: string, term: Term): boolean {
  const value = term.value.toLowerCase();
  const text = actual.toLowerCase();
  return term.prefix ? text.startsWith(value) : text === value;
}

/** Words of `actual` must contain the words of the term consecutively; `*` makes the last a prefix. */
export function matchWords(actual: string, term: Term): boolean {
  const words = actual.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const wanted = term.value.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (wanted.length === 0) return true;
  for (let start = 0; start + wanted.length <= words.length; start += 1) {
    const ok = wanted.every((word, offset) => {
      const candidate = words[start + offset]!;
      const isLast = offset === wanted.length - 1;
      return isLast && term.prefix ? candidate.startsWith(word) : candidate === word;
    });
    if (ok) return true;
  }
  return false;
}

/** Dates compare at the precision the query gives: `created_at:2024-05-01` means that whole day. */
export function matchDate(actualIso: string, term: Term): boolean {
  const actual = Date.parse(actualIso);
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(term.value);
  const start = Date.parse(dayOnly ? `${term.value}T00:00:00Z` : term.value);
  if (Number.isNaN(start)) return false;
  const end = dayOnly ? start + 86_400_000 : start + 1;
  switch (term.comparator) {
    case ":":
      return actual >= start && actual < end;
    case ">":
      return actual >= end;
    case ">=":
      return actual >= start;
    case "<":
      return actual < start;
    case "<=":
      return actual < end;
  }
}

export function matchNumber(actual: number, term: Term): boolean {
  const value = Number(term.value);
  if (Number.isNaN(value)) return false;
  switch (term.comparator) {
    case ":":
      return actual === value;
    case ">":
      return actual > value;
    case ">=":
      return actual >= value;
    case "<":
      return actual < value;
    case "<=":
      return actual <= value;
  }
}
