import { randomUUID } from 'node:crypto';
import type { ServiceName } from '../services/index.js';

/**
 * Which client headers reach which upstream. Each service has its own
 * allowlist (`<SERVICE>_FORWARD_HEADERS`); nothing else the client sent is
 * forwarded, so a header meant for one service (say, its credentials) never
 * reaches another. The request id and the W3C trace context always go.
 */

/**
 * Refused in an allowlist at start-up: hop-by-hop headers (RFC 9110 7.6.1),
 * message framing and routing, which on a forwarded request smuggle or
 * misroute it, and the headers the gateway sets itself.
 */
export const NEVER_FORWARDED: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'content-type',
  'expect',
  'accept',
  'accept-encoding',
  'x-request-id',
  'traceparent',
  'tracestate',
]);

// W3C Trace Context, version 00 (the only one we can vouch for); all-zero ids are invalid.
const TRACEPARENT = /^00-(?!0{32})[\da-f]{32}-(?!0{16})[\da-f]{16}-[\da-f]{2}$/;
const TRACESTATE = /^[\x20-\x7e]{1,512}$/;

export type UpstreamHeaders = (service: ServiceName) => Readonly<Record<string, string>>;

/**
 * The headers each service gets for one client request, built the first time
 * a call to that service asks (most queries call two or three of the
 * services): the trace context is drawn once per request, on first use.
 */
export function upstreamHeaders(
  request: Request,
  services: { readonly [S in ServiceName]: { readonly name: ServiceName; readonly forwardHeaders: readonly string[] } },
  requestId: string,
): UpstreamHeaders {
  let always: Record<string, string> | undefined;
  let hopByHop: Set<string> | undefined;
  const built: Partial<Record<ServiceName, Readonly<Record<string, string>>>> = {};
  const build = (service: ServiceName): Readonly<Record<string, string>> => {
    always ??= { 'x-request-id': requestId, ...traceContext(request.headers) };
    const headers: Record<string, string> = {};
    for (const name of services[service].forwardHeaders) {
      // A client may name headers in Connection to make them hop-by-hop; a proxy must drop those (RFC 9110 7.6.1).
      hopByHop ??= new Set((request.headers.get('connection') ?? '').toLowerCase().split(',').map((header) => header.trim()));
      const value = request.headers.get(name);
      if (value !== null && !hopByHop.has(name)) headers[name] = value;
    }
    return { ...headers, ...always };
  };
  return (service) => (built[service] ??= build(service));
}

/** The client's trace context when well-formed, else a fresh trace, so every upstream call is correlatable. */
function traceContext(headers: Headers): Record<string, string> {
  const parent = headers.get('traceparent')?.trim().toLowerCase();
  if (parent && TRACEPARENT.test(parent)) {
    const state = headers.get('tracestate')?.trim();
    return state && TRACESTATE.test(state) ? { traceparent: parent, tracestate: state } : { traceparent: parent };
  }
  // randomUUID draws from a cached entropy pool; two of them are much cheaper than two randomBytes calls per request.
  const trace = randomUUID().replaceAll('-', '');
  const span = randomUUID().replaceAll('-', '').slice(0, 16);
  return { traceparent: `00-${trace}-${span}-00` };
}
