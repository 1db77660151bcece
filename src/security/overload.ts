import { GraphQLError } from 'graphql';

export const OVERLOADED = 'OVERLOADED';

/** Seconds a client is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * The gateway is too busy to start this operation now: HTTP 503 with
 * Retry-After, nothing executed, so a client (or a load balancer) may safely
 * retry it, here or elsewhere.
 */
export function overloaded(): GraphQLError {
  return new GraphQLError('The gateway is busy: try again shortly.', {
    extensions: { code: OVERLOADED, http: { status: 503, spec: false, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } } },
  });
}
