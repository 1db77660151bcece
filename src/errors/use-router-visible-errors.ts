import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import type { ResponsePath, UpstreamErrorEntry } from './contract.js';
import { deliveredBy } from './part-paths.js';

/**
 * On `/subgraph`, every upstream failure is also an entry of the spec's
 * `errors`: a federation router forwards `errors` to its client (moving each
 * `path` to where the entity sits in its own answer) and drops top-level
 * extensions it does not know, `extensions.errors` included. One error per
 * nulled path, with the contract's `code` and the `service` that failed;
 * `extensions.errors` stays as it is for clients that call `/subgraph` directly.
 *
 * Stale serves (`extensions.stale`, the entity cache) are lost the same way;
 * they would become errors here too, one per served path, with code `STALE`
 * and the age and failure code of the entry, beside the served data.
 *
 * It rewrites the result after the request ledger has counted it (it comes
 * last among the plugins), so logs and metrics still count these as partial
 * answers, not as GraphQL errors.
 */
export function useRouterVisibleErrors(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (isAsyncIterable(result)) setResult(mapAsyncIterator(result, withFailuresAsErrors));
      else if (!Array.isArray(result)) setResult(withFailuresAsErrors(result));
    },
  };
}

type Increment = { readonly path?: ResponsePath; readonly errors?: readonly GraphQLError[] };
type Part = Omit<ExecutionResult, 'incremental'> & { readonly incremental?: readonly Increment[] };

function withFailuresAsErrors<P extends Part>(part: P): P {
  const failures = part.extensions?.['errors'] as readonly UpstreamErrorEntry[] | undefined;
  if (!failures?.length) return part;
  const errors = failures.flatMap((failure) => failure.paths.map((path) => routerError(failure, path)));
  if (!part.incremental) return { ...part, errors: [...(part.errors ?? []), ...errors] };
  // A later part of a @defer/@stream answer carries errors in the increment that holds their path.
  const incremental = part.incremental.map((increment) => {
    const holds = deliveredBy({ incremental: [{ path: [], ...increment }] });
    const own = errors.filter((error) => holds(error.path!));
    return own.length === 0 ? increment : { ...increment, errors: [...(increment.errors ?? []), ...own] };
  });
  return { ...part, incremental };
}

function routerError(failure: UpstreamErrorEntry, path: ResponsePath): GraphQLError {
  const { code, service, httpStatus } = failure;
  return new GraphQLError(failure.message, {
    path,
    extensions: { code, service, ...(httpStatus === undefined ? {} : { httpStatus }) },
  });
}
