import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import { STALE_CODE, type ResponsePath, type StaleEntry, type UpstreamErrorEntry } from './contract.js';
import { deliveredBy } from './part-paths.js';

/**
 * On `/subgraph`, every upstream failure is also an entry of the spec's
 * `errors`: a federation router forwards `errors` to its client (moving each
 * `path` to where the entity sits in its own answer) and drops top-level
 * extensions it does not know, `extensions.errors` included. One error per
 * nulled path, with the contract's `code` and the `service` that failed;
 * `extensions.errors` stays as it is for clients that call `/subgraph` directly.
 *
 * Stale serves (`extensions.stale`, the entity cache) would be lost the same
 * way, and a router's client would take year-old data for fresh: each served
 * path is also an error with code `STALE`, beside the data it still holds,
 * naming the service, the failure it stood in for and the data's age.
 *
 * A router built on schema stitching (Hive Gateway) passes on only the errors
 * of fields it nulls, so those `STALE` errors stop there; the same serves are
 * also named in the `x-gateway-stale` response header, which such a router
 * can be told to copy to its client (docs/federation.md). A streamed answer's
 * headers leave before any part is computed: there, the errors are all.
 *
 * It rewrites the result after the request ledger has counted it (it comes
 * last among the plugins), so logs and metrics still count these as partial
 * answers, not as GraphQL errors.
 */
export function useRouterVisibleErrors(): Plugin {
  const staleHeaders = new WeakMap<Request, string>();
  return {
    onResultProcess({ request, result, setResult }) {
      if (isAsyncIterable(result)) return setResult(mapAsyncIterator(result, withFailuresAsErrors));
      if (Array.isArray(result)) return;
      const served = (result.extensions?.['stale'] ?? []) as readonly StaleEntry[];
      if (served.length > 0) staleHeaders.set(request, served.map(staleHeaderItem).join(', '));
      setResult(withFailuresAsErrors(result));
    },
    onResponse({ request, response }) {
      const stale = staleHeaders.get(request);
      if (stale !== undefined) response.headers.set(STALE_HEADER, stale);
    },
  };
}

const STALE_HEADER = 'x-gateway-stale';

/** `products;code=HTTP_ERROR;age=42`: the service, the failure the data stood in for, its age in seconds. */
function staleHeaderItem({ service, code, ageSeconds }: StaleEntry): string {
  return `${service};code=${code};age=${ageSeconds}`;
}

type Increment = { readonly path?: ResponsePath; readonly errors?: readonly GraphQLError[] };
type Part = Omit<ExecutionResult, 'incremental'> & { readonly incremental?: readonly Increment[] };

function withFailuresAsErrors<P extends Part>(part: P): P {
  const failures = (part.extensions?.['errors'] ?? []) as readonly UpstreamErrorEntry[];
  const served = (part.extensions?.['stale'] ?? []) as readonly StaleEntry[];
  if (failures.length === 0 && served.length === 0) return part;
  const errors = [
    ...failures.flatMap((failure) => failure.paths.map((path) => routerError(failure, path))),
    ...served.flatMap((entry) => entry.paths.map((path) => staleError(entry, path))),
  ];
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

function staleError(entry: StaleEntry, path: ResponsePath): GraphQLError {
  const { service, code, ageSeconds } = entry;
  const message = `Served from the gateway's cache, ${ageSeconds} s old: the ${service} service failed (${code}).`;
  return new GraphQLError(message, { path, extensions: { code: STALE_CODE, service, failureCode: code, ageSeconds } });
}
