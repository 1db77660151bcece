/** Where the gateway answers GraphQL operations. */
export const GRAPHQL_PATH = '/graphql';

/** The same schema as an Apollo Federation v2 subgraph, for a federation router (FEDERATION=true). */
export const SUBGRAPH_PATH = '/subgraph';

/** A request for an operation endpoint, as opposed to a probe, `/metrics` or anything else. */
export function isOperationPath(pathname: string): boolean {
  return pathname === GRAPHQL_PATH || pathname === SUBGRAPH_PATH;
}
