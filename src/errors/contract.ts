import type { ServiceName } from '../services/index.js';

/**
 * The partial-failure contract (docs/failures.md) as types. Client code
 * imports this module to read `extensions.errors` with the compiler's help;
 * it imports types only, so it adds nothing to a client's bundle.
 */

/** Every code the gateway can put in `extensions.errors[].code`. New codes may be added. */
export const UPSTREAM_ERROR_CODES = [
  'TIMEOUT',
  'HTTP_ERROR',
  'UNREACHABLE',
  'BAD_RESPONSE',
  'CIRCUIT_OPEN',
] as const;
export type UpstreamErrorCode = (typeof UPSTREAM_ERROR_CODES)[number];

/** A configured service's name (src/services/): who failed. */
export type UpstreamServiceName = ServiceName;

/** A GraphQL response path, as in `errors[].path`. */
export type ResponsePath = ReadonlyArray<string | number>;

/** One failed upstream call and every response path it turned into `null`. */
export interface UpstreamErrorEntry {
  readonly service: UpstreamServiceName;
  readonly code: UpstreamErrorCode;
  /** For people; never contains a URL, host, stack or upstream body. */
  readonly message: string;
  readonly paths: ReadonlyArray<ResponsePath>;
  /** Upstream attempts made for this call (0 when none was made, e.g. CIRCUIT_OPEN). */
  readonly attempts: number;
  /** Present with HTTP_ERROR: the status the upstream answered. */
  readonly httpStatus?: number;
}

/**
 * `extensions.code` of the error that, on `/subgraph`, marks data served
 * stale (docs/federation.md). Not a failure code: the data is there, only old.
 */
export const STALE_CODE = 'STALE';

/**
 * Data served from the gateway's cache because the upstream call for it failed
 * (the upstream allowed it with `stale-if-error`). Listed under
 * `extensions.stale`; those paths have no `extensions.errors` entry.
 */
export interface StaleEntry {
  readonly service: UpstreamServiceName;
  /** Why the upstream's own answer could not be used: the code its `extensions.errors` entry would have had. */
  readonly code: UpstreamErrorCode;
  /** Every response path whose value is that old. */
  readonly paths: ReadonlyArray<ResponsePath>;
  /** Seconds since the upstream gave the served answer. */
  readonly ageSeconds: number;
}

/**
 * One REST call that a request caused, as listed in `extensions.upstreams`
 * when the upstream trace is on (`x-gateway-trace: 1`, see docs/clients.md). It
 * names the route template only: never a host, an id or a credential.
 */
export interface UpstreamCallTrace {
  readonly service: UpstreamServiceName;
  /** Route template, e.g. `/users/{key}/orders` or `/orders?userIds={keys}`. */
  readonly route: string;
  /** Present, `POST`, for a write (a mutation's call); absent for a read (GET). */
  readonly method?: 'POST';
  /** `true`: the batch endpoint, one call for `keys` keys. `false`: the per-key endpoint. */
  readonly batch: boolean;
  /** Keys this call carried: the batch size of a batch call, 1 for a per-key call. */
  readonly keys: number;
  /** HTTP status of the last attempt; absent when no attempt got an answer. */
  readonly status?: number;
  /** Present when the call failed: the code of its `extensions.errors` entry. */
  readonly code?: UpstreamErrorCode;
  /** Attempts this request made; 0 when it joined a call another request had started (`shared`). */
  readonly attempts: number;
  /** Present and `true` when an identical concurrent call of another request served this one. */
  readonly shared?: boolean;
  /**
   * Present when the service's cache answered instead of a call: `hit` (fresh), `revalidating` (stale, one
   * background call refreshes it) or `stale` (the call made for these keys failed, and the upstream allowed a stale
   * answer instead). `keys` is then how many keys it answered; the keys still fetched are in the entry of that call.
   */
  readonly cache?: 'hit' | 'revalidating' | 'stale';
  /** When the call started, in ms after the operation's execution started. */
  readonly startMs: number;
  /** From the call's start to its end, retries and waits for a free slot included. */
  readonly durationMs: number;
}

/**
 * The `extensions` of a gateway response (or of one part of an incremental
 * @defer/@stream response): `errors` when some upstream failed, `stale` when
 * some data stood in for a failed call, `upstreams` when the trace was asked for.
 */
export interface GatewayResponseExtensions {
  readonly errors?: ReadonlyArray<UpstreamErrorEntry>;
  readonly stale?: ReadonlyArray<StaleEntry>;
  readonly upstreams?: ReadonlyArray<UpstreamCallTrace>;
}
