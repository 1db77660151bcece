import type { UpstreamCallTrace } from '../errors/contract.js';
import { isAvoided, type CallObserver } from '../upstream/observe.js';

/**
 * Records, for one GraphQL request, every REST call it caused, as the
 * `extensions.upstreams` entries typed in errors/contract.ts.
 * It sees what the call engine tells observers: route templates, key counts,
 * statuses and codes, and the keys the cache answered; hosts, ids and
 * headers never reach it.
 */
export class UpstreamTrace {
  private readonly startedAt = Date.now();
  private ended: UpstreamCallTrace[] = [];

  readonly observer: CallObserver = (start) => {
    const startedAt = Date.now();
    return {
      ended: (end) => {
        this.ended.push({
          service: start.service,
          route: start.route,
          ...(start.method === 'GET' ? {} : { method: start.method }),
          batch: start.batch,
          keys: start.keys,
          ...(end.status === undefined ? {} : { status: end.status }),
          // A cancelled call has no client left to read its trace; a refused write is a userErrors entry, not a failure.
          ...(end.outcome === 'ok' || end.outcome === 'not-found' || end.outcome === 'cancelled' || end.outcome === 'refused' ? {} : { code: end.outcome }),
          attempts: end.attempts,
          ...(start.shared ? { shared: true } : {}),
          ...(isAvoided(start) ? { cache: start.cache as NonNullable<UpstreamCallTrace['cache']> } : {}),
          startMs: startedAt - this.startedAt,
          durationMs: end.durationMs,
        });
      },
    };
  };

  /**
   * The calls that ended since the last drain, in the order they started. An
   * incremental (@defer/@stream) response drains once per part, so each part
   * lists the calls that finished while it was being computed.
   */
  drain(): UpstreamCallTrace[] {
    const calls = this.ended.sort((a, b) => a.startMs - b.startMs);
    this.ended = [];
    return calls;
  }
}
