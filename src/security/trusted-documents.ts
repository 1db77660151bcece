import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { parse, type DocumentNode } from 'graphql';
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';

/**
 * Trusted documents: the operations a client build may send, by hash, read
 * from the manifest GraphQL Code Generator's client preset emits
 * (`persistedDocuments`: a JSON object of hash -> document). With arbitrary
 * operations switched off, a document that is not in the manifest never
 * reaches the parser, let alone an upstream.
 */
export type TrustedDocuments = ReadonlyMap<string, DocumentNode>;

/** Reads and parses the whole manifest at start-up, so a broken one stops the gateway there. Throws a one-line reason. */
export function loadTrustedDocuments(path: string): TrustedDocuments {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the manifest (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new Error('the manifest is not valid JSON');
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new Error('the manifest must be a JSON object of hash -> document');
  }
  // A Map, so that hashes like "__proto__" or "constructor" find nothing.
  const documents = new Map<string, DocumentNode>();
  for (const [hash, document] of Object.entries(manifest)) {
    if (hash.length === 0 || typeof document !== 'string') {
      throw new Error(`entry ${JSON.stringify(hash)} is not a hash with a document string`);
    }
    try {
      documents.set(hash, parse(document));
    } catch (error) {
      throw new Error(`the document of ${JSON.stringify(hash)} does not parse: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return documents;
}

export interface TrustedDocumentsOptions {
  readonly documents: TrustedDocuments;
  /** `false`: refuse every request that does not name a document of the manifest. */
  readonly allowArbitraryOperations: boolean;
}

/** The hash from `documentId` (GraphQL over HTTP) or Apollo's `extensions.persistedQuery.sha256Hash`. */
function documentIdOf(params: GraphQLParams & { documentId?: unknown }): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  const persisted: unknown = params.extensions?.['persistedQuery'];
  if (persisted && typeof persisted === 'object' && 'sha256Hash' in persisted && typeof persisted.sha256Hash === 'string') {
    return persisted.sha256Hash;
  }
  return null;
}

/**
 * Codegen's manifest keys carry the algorithm (`sha256:<hex>`); Apollo clients
 * send the bare hex in `persistedQuery.sha256Hash`, and other manifest tools
 * write bare keys. A sha256 id finds its document in either spelling.
 */
function lookUp(documents: TrustedDocuments, id: string): DocumentNode | null {
  const exact = documents.get(id);
  if (exact) return exact;
  if (SHA256_HEX.test(id)) return documents.get(`${SHA256_PREFIX}${id}`) ?? null;
  if (id.startsWith(SHA256_PREFIX)) return documents.get(id.slice(SHA256_PREFIX.length)) ?? null;
  return null;
}

const SHA256_PREFIX = 'sha256:';
const SHA256_HEX = /^[0-9a-f]{64}$/;

const refusal = (message: string, code: string) => () =>
  createGraphQLError(message, { extensions: { code, http: { status: 400 } } });

export function useTrustedDocuments({ documents, allowArbitraryOperations }: TrustedDocumentsOptions): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations,
    extractPersistedOperationId: documentIdOf,
    getPersistedOperation: (hash) => lookUp(documents, hash),
    customErrors: {
      notFound: refusal('No trusted document has this id.', 'PERSISTED_QUERY_NOT_FOUND'),
      persistedQueryOnly: refusal('Only trusted documents run here: send a document id, not a document.', 'PERSISTED_QUERY_ONLY'),
      keyNotFound: refusal('Send a document id (documentId, or extensions.persistedQuery.sha256Hash).', 'PERSISTED_QUERY_ID_REQUIRED'),
    },
  }) as Plugin;
}
