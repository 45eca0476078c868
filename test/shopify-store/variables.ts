/**
 * Variable coercion with graphql-ruby's error wording. graphql-js has this logic in
 * graphql/execution/values, but that subpath loads a second copy of graphql under ESM.
 */
import { coerceInputValue, isNonNullType, print, typeFromAST, valueFromAST, type GraphQLInputType, type GraphQLSchema, type VariableDefinitionNode } from "graphql";
import type { ShopifyGraphqlError } from "./shopify-errors";

export function coerceVariables(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  provided: Record<string, unknown>,
): { values: Record<string, unknown> } | { errors: ShopifyGraphqlError[] } {
  const values: Record<string, unknown> = {};
  const errors: ShopifyGraphqlError[] = [];
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue; // validate() already reported unknown types
    const problems: { path: (string | number)[]; explanation: string }[] = [];
    const hasValue = Object.prototype.hasOwnProperty.call(provided, name);
    if (!hasValue || provided[name] === null) {
      if (!hasValue && definition.defaultValue) values[name] = valueFromAST(definition.defaultValue, type);
      else if (isNonNullType(type)) problems.push({ path: [], explanation: "Expected value to not be null" });
      else if (hasValue) values[name] = null;
    } else {
      values[name] = coerceInputValue(provided[name], type, (path, _invalid, error) => {
        problems.push({ path: path.filter((p) => typeof p === "string" || typeof p === "number"), explanation: error.message });
      });
    }
    if (problems.length > 0) {
      errors.push({
        message: `Variable $${name} of type ${print(definition.type)} was provided invalid value`,
        locations: definition.loc ? [{ line: definition.loc.startToken.line, column: definition.loc.startToken.column }] : undefined,
        extensions: { code: "INVALID_VARIABLE", value: provided[name] ?? null, problems },
      });
    }
  }
  return errors.length > 0 ? { errors } : { values };
}
