import type { GatewayResponseExtensions } from '../../src/errors/contract.js';
import type { TypedDocumentString } from './gql/graphql.js';

/**
 * A GraphQL-over-HTTP client for the gateway in a few lines of `fetch`, typed
 * end to end: `data` by the generated document, `extensions` by the
 * gateway's failure contract (src/errors/contract.ts).
 */
export interface GatewayResult<TData> {
  /** Fields whose upstream failed are `null` here; `extensions.errors` says why. */
  readonly data?: TData | null;
  /** Only for invalid operations and gateway bugs, as the spec says. */
  readonly errors?: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<string | number> }>;
  readonly extensions?: GatewayResponseExtensions;
}

export interface ClientOptions {
  readonly endpoint: string | URL;
  /**
   * `only`: send the document's id alone, as a gateway in trusted-documents
   * mode requires. `fallback` (default): send the id; if the gateway could
   * not run the request from it (it keeps no persisted documents, or not this
   * one), send the document text once more.
   */
  readonly persisted?: 'only' | 'fallback';
  readonly headers?: Readonly<Record<string, string>>;
  readonly fetch?: typeof fetch;
}

/**
 * Runs a generated document. Codegen gives each document a prefixed id
 * (`sha256:<hex of the manifest's text>`, GraphQL-over-HTTP "documentId"),
 * which is sent as `documentId`; persisted-documents.json maps it to the
 * text the gateway runs.
 */
export async function executePersisted<TData, TVariables>(
  document: TypedDocumentString<TData, TVariables>,
  variables: TVariables,
  options: ClientOptions,
): Promise<GatewayResult<TData>> {
  const documentId = document.__meta__?.['hash'];
  if (typeof documentId !== 'string') throw new Error('the document has no id: run `npm run codegen`');
  const byId = await post<TData>({ documentId, variables }, options);
  if (options.persisted === 'only' || byId.data !== undefined) return byId;
  return post<TData>({ query: document.toString(), variables }, options);
}

async function post<TData>(body: Record<string, unknown>, options: ClientOptions): Promise<GatewayResult<TData>> {
  const response = await (options.fetch ?? fetch)(options.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...options.headers },
    body: JSON.stringify(body),
  });
  const contentType = response.headers.get('content-type') ?? '';
  if (!/json/.test(contentType)) throw new Error(`the gateway answered HTTP ${response.status} with ${contentType || 'no content type'}`);
  return (await response.json()) as GatewayResult<TData>;
}
