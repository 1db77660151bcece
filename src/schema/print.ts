import { buildClientSchema, getIntrospectionQuery, printSchema, type ExecutionResult, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

export const SCHEMA_FILE = 'schema/schema.graphql';
export const SUBGRAPH_FILE = 'schema/subgraph.graphql';

const HEADER = '# Generated from the code by `npm run schema`. Do not edit: a test fails when this file is stale.\n\n';

/** The text of schema/schema.graphql for a schema. */
export function schemaFileText(schema: GraphQLSchema): string {
  return `${HEADER}${printSchema(schema)}\n`;
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * The schema as a client sees it: what introspection at `url` answers, with
 * the directives that plugins add (@defer, @stream) and nothing a client
 * cannot see. Client teams generate code from the file printed from this.
 */
export async function introspectSchema(url: string, fetchFn: Fetch = fetch): Promise<GraphQLSchema> {
  const response = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: getIntrospectionQuery({ directiveIsRepeatable: true }) }),
  });
  const result = (await response.json()) as ExecutionResult<IntrospectionQuery>;
  if (!result.data) {
    throw new Error(`introspection failed (HTTP ${response.status}): ${result.errors?.map((error) => error.message).join('; ')}`);
  }
  return buildClientSchema(result.data);
}

/** The text of schema/subgraph.graphql: the subgraph SDL a router composes. */
export function subgraphFileText(sdl: string): string {
  return `${HEADER}${sdl}\n`;
}

/**
 * The subgraph SDL exactly as a router reads it: `_service { sdl }` at `url`
 * (`/subgraph`), with the federation directives (@link, @key) that
 * introspection cannot show.
 */
export async function fetchSubgraphSdl(url: string, fetchFn: Fetch = fetch): Promise<string> {
  const response = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const result = (await response.json()) as ExecutionResult<{ _service: { sdl: string } }>;
  if (!result.data) {
    throw new Error(`_service { sdl } failed (HTTP ${response.status}): ${result.errors?.map((error) => error.message).join('; ')}`);
  }
  return result.data._service.sdl;
}
