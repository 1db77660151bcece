import type { Plugin } from 'graphql-yoga';
import { SERVICE_NAMES } from '../services/index.js';
import type { BreakerStates } from './metrics.js';

export interface ReadinessOptions {
  /** True from SIGTERM on: the load balancer should stop sending traffic here. */
  readonly isDraining: () => boolean;
  readonly breakerStates: BreakerStates;
  readonly endpoint?: string;
}

/**
 * `GET /readiness` for load balancers and Kubernetes readiness probes:
 * 200 `ready` when the gateway can serve, 200 `degraded` (with the open
 * circuits) when some upstreams are being skipped, and 503 `draining` once
 * shutdown began. An open circuit does not fail readiness: every replica
 * shares the same upstreams, so failing them all would turn a partial outage
 * into a total one. While draining, every response asks the client to close
 * its connection so keep-alive clients reconnect to another replica.
 * (Liveness is Yoga's built-in `GET /health`.)
 */
export function useReadiness({ isDraining, breakerStates, endpoint = '/readiness' }: ReadinessOptions): Plugin {
  return {
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== endpoint) return;
      const json = (status: number, body: unknown) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status,
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          }),
        );
      if (isDraining()) return json(503, { status: 'draining' });
      const states = breakerStates();
      const openCircuits = SERVICE_NAMES.filter((service) => states[service] === 'open');
      json(200, { status: openCircuits.length > 0 ? 'degraded' : 'ready', openCircuits });
    },
    onResponse({ response }) {
      if (!isDraining()) return;
      // Streamed answers (multipart, event-stream) come with `Connection: keep-alive` as a header object whose key is
      // capitalised; this Headers implementation's `set` would then add a second field ("keep-alive, close").
      // `delete` first turns the object into a normalised map.
      response.headers.delete('connection');
      response.headers.set('connection', 'close');
    },
  };
}
