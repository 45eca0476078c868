/**
 * graphql-js reports problems in its own words; Shopify's Admin API (graphql-ruby) words
 * them differently and adds an `extensions.code`. Apps and tests match on Shopify's
 * wording, so validation errors are translated here.
 */
import type { GraphQLError } from "graphql";

export interface ShopifyGraphqlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

type Translation = [RegExp, (m: RegExpExecArray) => { message: string; extensions: Record<string, unknown> }];

const translations: Translation[] = [
  [
    /^Cannot query field "(\w+)" on type "(\w+)"\./,
    (m) => ({
      message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
      extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] },
    }),
  ],
  [
    /^Field "(\w+)" argument "(\w+)" of type "([^"]+)" is required, but it was not provided\./,
    (m) => ({
      message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
      extensions: { code: "missingRequiredArguments", className: "Field", name: m[1], arguments: m[2] },
    }),
  ],
  [
    /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./,
    (m) => ({
      message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
      extensions: { code: "argumentNotAccepted", name: m[3], typeName: "Field", argumentName: m[1] },
    }),
  ],
  [
    /^Field "(\w+)" must not have a selection since type "([^"]+)" has no subfields\./,
    (m) => ({
      message: `Selections can't be made on scalars (field '${m[1]}' returns ${m[2]!.replace(/!$/, "")} but has selections [...])`,
      extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2]!.replace(/!$/, "") },
    }),
  ],
  [
    /^Field "(\w+)" of type "([^"]+)" must have a selection of subfields\./,
    (m) => ({
      message: `Field must have selections (field '${m[1]}' returns ${m[2]!.replace(/[![\]]/g, "")} but has no selections. Did you mean '${m[1]} { ... }'?)`,
      extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2]!.replace(/[![\]]/g, "") },
    }),
  ],
  [
    /^Variable "\$(\w+)" is not defined(?: by operation "(\w+)")?\./,
    (m) => ({
      message: `Variable $${m[1]} is used by ${m[2] ?? "anonymous query"} but not declared`,
      extensions: { code: "variableNotDefined", variableName: m[1] },
    }),
  ],
  [
    /^Variable "\$(\w+)" is never used(?: in operation "(\w+)")?\./,
    (m) => ({
      message: `Variable $${m[1]} is declared by ${m[2] ?? "anonymous query"} but not used`,
      extensions: { code: "variableNotUsed", variableName: m[1] },
    }),
  ],
  [
    /^Unknown type "(\w+)"\./,
    (m) => ({
      message: `No such type ${m[1]}, so it can't be a fragment condition`,
      extensions: { code: "undefinedType", typeName: m[1] },
    }),
  ],
  [
    /^(?:\w+) cannot represent .*?: (.+)$|^Expected value of type "([^"]+)", found (.+?);/,
    (m) => ({
      message: `Argument has an invalid value (${m[1] ?? m[3]}).`,
      extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
    }),
  ],
  [
    /^Syntax Error: (.*)$/,
    (m) => ({ message: `syntax error, ${m[1]}`, extensions: { code: "syntaxError" } }),
  ],
];

export function translateValidationError(error: GraphQLError): ShopifyGraphqlError {
  const base = { locations: error.locations?.map(({ line, column }) => ({ line, column })), path: ["query"] as (string | number)[] };
  for (const [pattern, translate] of translations) {
    const match = pattern.exec(error.message);
    if (match) return { ...base, ...translate(match) };
  }
  return { ...base, message: error.message, extensions: { code: "validationError" } };
}
