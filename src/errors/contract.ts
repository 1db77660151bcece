/**
 * The partial-failure contract (CONTRACT.md section 4) as types. Client code
 * imports this module to read `extensions.errors` with the compiler's help;
 * it has no runtime dependencies so it can be copied into any client.
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

export type UpstreamServiceName = 'users' | 'orders' | 'notifications' | 'products' | 'inventory';

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

/** The `extensions` of a response in which some upstream failed. */
export interface GatewayResponseExtensions {
  readonly errors?: ReadonlyArray<UpstreamErrorEntry>;
}
