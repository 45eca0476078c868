/**
 * Shopify's query cost (https://shopify.dev/docs/api/usage/rate-limits#cost-calculation):
 * objects cost 1, scalars and enums 0, a connection 2 plus first/last times the cost of
 * one of its nodes, each mutation field 10. With `data`, the same walk prices what was
 * actually returned (connections by the number of nodes they held), which is the
 * actualQueryCost Shopify refunds against.
 */
import {
  getNamedType,
  isCompositeType,
  isListType,
  getNullableType,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  isObjectType,
  isInterfaceType,
} from "graphql";

export const MUTATION_COST = 10;
export const MAX_SINGLE_QUERY_COST = 1000;

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

type Data = Record<string, unknown> | null | undefined;

export function queryCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data?: Data,
): number {
  const walk: Walk = { schema, fragments, variables };
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  if (operation.operation === "mutation") {
    // Shopify prices a mutation flat, whatever it selects.
    return collectFields(walk, root, operation.selectionSet).filter(({ node }) => !node.name.value.startsWith("__")).length * MUTATION_COST;
  }
  return selectionCost(walk, root, operation.selectionSet, data === undefined ? undefined : data);
}

function selectionCost(walk: Walk, parent: GraphQLCompositeType, selectionSet: SelectionSetNode, data: Data | undefined): number {
  let total = 0;
  for (const { type, node } of collectFields(walk, parent, selectionSet)) {
    const field = fieldOf(type, node.name.value);
    if (!field) continue;
    const key = node.alias?.value ?? node.name.value;
    if (data !== undefined && (data === null || !(key in data))) continue;
    total += fieldCost(walk, field, node, data === undefined ? undefined : data?.[key]);
  }
  return total;
}

function fieldCost(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode, value: unknown): number {
  const named = getNamedType(field.type);
  const selectionSet = node.selectionSet;
  if (!isCompositeType(named) || !selectionSet) return 0;
  const args = argumentValues(walk, field, node);
  const actual = value !== undefined;
  if (actual && value === null) return 0;

  if (isConnection(named.name, args)) {
    const pageSize = Number(args.first ?? args.last ?? 0);
    if (!actual) return 2 + pageSize * connectionNodeCost(walk, named, selectionSet, undefined);
    const connection = value as { edges?: { node: Data }[]; nodes?: Data[] };
    const count = Math.max(connection.edges?.length ?? 0, connection.nodes?.length ?? 0);
    let nodesCost = 0;
    for (let i = 0; i < count; i += 1) {
      nodesCost += connectionNodeCost(walk, named, selectionSet, { edge: connection.edges?.[i]?.node, node: connection.nodes?.[i] });
    }
    return 2 + nodesCost;
  }

  const listSize = isListType(getNullableType(field.type)) && Array.isArray(args.ids) ? args.ids.length : 1;
  if (!actual) return listSize * (1 + selectionCost(walk, named, selectionSet, undefined));
  const items = (Array.isArray(value) ? value.slice(0, listSize) : [value]) as Data[];
  return items.reduce<number>((sum, item) => sum + (item === null ? 0 : 1 + selectionCost(walk, named, selectionSet, item)), 0);
}

/** One node of a connection, selected through `edges { node }` and/or `nodes`; Shopify charges it once. */
function connectionNodeCost(walk: Walk, connectionType: GraphQLCompositeType, selectionSet: SelectionSetNode, item: { edge: Data; node: Data } | undefined): number {
  let cost = 0;
  for (const { type, node: fieldNode } of collectFields(walk, connectionType, selectionSet)) {
    const field = fieldOf(type, fieldNode.name.value);
    if (!field || !fieldNode.selectionSet) continue;
    const nodeType = getNamedType(field.type);
    if (fieldNode.name.value === "nodes" && isCompositeType(nodeType)) {
      cost = Math.max(cost, 1 + selectionCost(walk, nodeType, fieldNode.selectionSet, item?.node));
    }
    if (fieldNode.name.value === "edges" && isCompositeType(nodeType)) {
      for (const edgeField of collectFields(walk, nodeType, fieldNode.selectionSet)) {
        const nodeField = fieldOf(edgeField.type, edgeField.node.name.value);
        const innerType = nodeField && getNamedType(nodeField.type);
        if (edgeField.node.name.value === "node" && innerType && isCompositeType(innerType) && edgeField.node.selectionSet) {
          cost = Math.max(cost, 1 + selectionCost(walk, innerType, edgeField.node.selectionSet, item?.edge));
        }
      }
    }
  }
  return cost;
}

function isConnection(typeName: string, args: Record<string, unknown>): boolean {
  return typeName.endsWith("Connection") && ("first" in args || "last" in args);
}

/** Fields of a selection with fragments flattened, each paired with the type it is defined on. */
function collectFields(walk: Walk, parent: GraphQLCompositeType, selectionSet: SelectionSetNode): { type: GraphQLCompositeType; node: FieldNode }[] {
  const fields: { type: GraphQLCompositeType; node: FieldNode }[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === "Field") {
      fields.push({ type: parent, node: selection });
    } else {
      const fragment = selection.kind === "InlineFragment" ? selection : walk.fragments[selection.name.value];
      if (!fragment) continue;
      const condition = fragment.typeCondition ? walk.schema.getType(fragment.typeCondition.name.value) : parent;
      if (condition && isCompositeType(condition)) fields.push(...collectFields(walk, condition, fragment.selectionSet));
    }
  }
  return fields;
}

function fieldOf(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  // Unions have no fields of their own; their members' fields come through fragments.
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

function argumentValues(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const argNode of node.arguments ?? []) {
    const definition = field.args.find((arg) => arg.name === argNode.name.value);
    if (definition) values[argNode.name.value] = valueFromAST(argNode.value, definition.type, walk.variables);
  }
  return values;
}
