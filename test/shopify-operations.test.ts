import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Kind, parse, validate, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { loadAdminSchema } from "./shopify-store/admin-schema";
import { ROOT } from "./support/databases";

/**
 * Every `#graphql` document in app/, validated against Shopify's real Admin
 * schema (2026-07). Fragments may live in other literals and are spliced in
 * with `${…}` at run time, so they are collected across all of them.
 */
function graphqlLiterals(): { file: string; source: string }[] {
  const files = (readdirSync(path.join(ROOT, "app"), { recursive: true }) as string[])
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.includes(".test.") && !f.startsWith("types"))
    .map((f) => path.join(ROOT, "app", f));
  return files.flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/`#graphql([\s\S]*?)`/g)].map((m) => ({
      file: path.relative(ROOT, file),
      source: m[1]!.replace(/\$\{[^}]*\}/g, ""),
    })),
  );
}

function fragmentsUsed(definition: DefinitionNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): Set<string> {
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const n = node as { kind?: string; name?: { value: string } };
    if (n.kind === Kind.FRAGMENT_SPREAD && n.name && !seen.has(n.name.value)) {
      seen.add(n.name.value);
      const fragment = fragments.get(n.name.value);
      if (fragment) visit(fragment);
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === "object") visit(value);
    }
  };
  visit(definition);
  return seen;
}

describe("GraphQL operations in app/", () => {
  const literals = graphqlLiterals();
  const documents = literals.map(({ file, source }) => ({ file, document: parse(source, { noLocation: true }) }));
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { document } of documents) {
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const operations = documents.flatMap(({ file, document }) =>
    document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).map((operation) => ({ file, operation, name: operation.name?.value ?? "(anonymous)" })),
  );
  let schema: Awaited<ReturnType<typeof loadAdminSchema>>;
  beforeAll(async () => {
    schema = await loadAdminSchema();
  });

  it("exist and are all named", () => {
    expect(operations.length).toBeGreaterThanOrEqual(3);
    for (const { name } of operations) expect(name).not.toBe("(anonymous)");
  });

  it.each(operations)("$name ($file) is valid against the Admin API 2026-07 schema", ({ operation }) => {
    const used = [...fragmentsUsed(operation, fragments)].map((name) => fragments.get(name)!);
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...used] };
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  it("catches an invalid operation (the check can fail)", () => {
    const bad = parse("query Bad { products(first: 1) { nodes { notAField } } }");
    expect(validate(schema, bad).map((e) => e.message)).toEqual([expect.stringContaining(`Cannot query field "notAField" on type "Product"`)]);
  });
});
