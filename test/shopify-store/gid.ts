import { GraphQLError } from "graphql";

export function toGid(type: string, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

/** Shopify rejects ids that are not global ids with this exact message. */
export function parseGid(gid: string): { type: string; id: number } {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/.exec(gid);
  if (!match) {
    throw new GraphQLError(`Invalid global id '${gid}'`, {
      extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
    });
  }
  return { type: match[1]!, id: Number(match[2]) };
}
