/**
 * One Admin GraphQL request, end to end: validate against the real schema, price it,
 * charge the shop's bucket, execute with the local resolvers, refund the unused cost.
 */
import {
  GraphQLError,
  execute,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type OperationDefinitionNode,
} from "graphql";
import { MAX_SINGLE_QUERY_COST, queryCost } from "./cost";
import type { ResolverContext, ResolverMap } from "./resolvers/types";
import { translateValidationError, type ShopifyGraphqlError } from "./shopify-errors";
import { coerceVariables } from "./variables";
import type { CostBucket } from "./throttle";

export const RATE_LIMITS_DOCUMENTATION = "https://shopify.dev/api/usage/rate-limits";

export interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphqlResponse {
  data?: unknown;
  errors?: ShopifyGraphqlError[];
  extensions?: Record<string, unknown>;
}

export class NotImplementedByLocalStore extends GraphQLError {
  constructor(coordinate: string) {
    super(`Field '${coordinate}' is not implemented by the local store`, { extensions: { code: "NOT_IMPLEMENTED_BY_LOCAL_STORE" } });
  }
}

export function createExecutor(schema: GraphQLSchema, resolvers: ResolverMap) {
  const rootTypeNames = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);

  const fieldResolver: GraphQLFieldResolver<unknown, ResolverContext> = (source, args, context, info) => {
    const coordinate = `${info.parentType.name}.${info.fieldName}`;
    const resolver = resolvers[coordinate];
    if (resolver) return resolver(source, args, context, info);
    const value = rootTypeNames.has(info.parentType.name) ? undefined : (source as Record<string, unknown>)[info.fieldName];
    // A field nobody modelled must fail loudly, not read as null.
    if (value === undefined) throw new NotImplementedByLocalStore(coordinate);
    return typeof value === "function" ? (value as () => unknown).call(source) : value;
  };

  const typeResolver: GraphQLTypeResolver<unknown, ResolverContext> = (value, _context, _info, abstractType) => {
    const typename = (value as { __typename?: string }).__typename;
    if (!typename) throw new GraphQLError(`The local store cannot tell which ${abstractType.name} this value is`);
    return typename;
  };

  return async function run(body: GraphqlRequestBody, context: ResolverContext, bucket: CostBucket): Promise<GraphqlResponse> {
    if (typeof body.query !== "string" || body.query.trim() === "") {
      return { errors: [{ message: "No query string was present", extensions: { code: "MISSING_QUERY" } }] };
    }
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      return { errors: [translateValidationError(error as GraphQLError)] };
    }
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) return { errors: validationErrors.map(translateValidationError) };

    const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
    const operation = pickOperation(document, operationName);
    if (!operation) {
      const message = operationName ? `No operation named "${operationName}"` : "An operation name is required";
      return { errors: [{ message, extensions: { code: "OPERATION_NOT_FOUND" } }] };
    }
    const providedVariables = (body.variables ?? {}) as Record<string, unknown>;
    const coerced = coerceVariables(schema, operation.variableDefinitions ?? [], providedVariables);
    if ("errors" in coerced) return { errors: coerced.errors };

    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) {
      if (definition.kind === "FragmentDefinition") fragments[definition.name.value] = definition;
    }
    const requestedQueryCost = queryCost(schema, operation, fragments, coerced.values);
    if (requestedQueryCost > MAX_SINGLE_QUERY_COST) {
      return {
        errors: [
          {
            message: `Query cost is ${requestedQueryCost}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requestedQueryCost, maxCost: MAX_SINGLE_QUERY_COST, documentation: RATE_LIMITS_DOCUMENTATION },
          },
        ],
        extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: bucket.status() } },
      };
    }
    if (!bucket.tryTake(requestedQueryCost)) {
      return {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMITS_DOCUMENTATION } }],
        extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: bucket.status() } },
      };
    }

    const result = await execute({
      schema,
      document,
      operationName: operation.name?.value,
      variableValues: providedVariables,
      contextValue: context,
      fieldResolver,
      typeResolver,
    });
    const actualQueryCost = Math.min(requestedQueryCost, queryCost(schema, operation, fragments, coerced.values, (result.data ?? null) as Record<string, unknown> | null));
    bucket.refund(requestedQueryCost - actualQueryCost);

    const response: GraphqlResponse = {};
    if (result.errors) {
      response.errors = result.errors.map((e) => ({
        message: e.message,
        locations: e.locations?.map(({ line, column }) => ({ line, column })),
        path: e.path ? [...e.path] : undefined,
        ...(e.extensions && Object.keys(e.extensions).length > 0 ? { extensions: { ...e.extensions } } : {}),
      }));
    }
    response.data = result.data ?? null;
    response.extensions = {
      cost: { requestedQueryCost, actualQueryCost, throttleStatus: bucket.status() },
      ...(context.searchWarnings.length > 0 ? { search: context.searchWarnings } : {}),
    };
    return response;
  };
}

function pickOperation(document: DocumentNode, name: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
  if (name) return operations.find((op) => op.name?.value === name);
  return operations.length === 1 ? operations[0] : undefined;
}
