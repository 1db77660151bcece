/**
 * In-flight deduplication across GraphQL requests: concurrent identical GETs
 * (same route, same query, same forwarded credentials) share one upstream
 * call. The shared call is aborted only when every request waiting on it has
 * gone away, so one impatient client cannot fail another's answer.
 */
export class SharedFlights<Meta> {
  private readonly flights = new Map<string, Flight<unknown, Meta>>();

  /** What the flight in progress under `key` was started with, if there is one. */
  meta(key: string): Meta | undefined {
    return this.flights.get(key)?.meta;
  }

  /**
   * Joins the flight under `key`, or starts it with `start`, which receives a
   * signal that aborts once no joiner is left; `meta` is kept for a new flight.
   */
  join<T>(key: string, signal: AbortSignal | undefined, meta: Meta, start: (signal: AbortSignal) => Promise<T>): Promise<T> {
    let flight = this.flights.get(key) as Flight<T, Meta> | undefined;
    if (!flight) {
      const controller = new AbortController();
      const promise = start(controller.signal);
      const created: Flight<T, Meta> = { promise, controller, meta, waiting: 0 };
      flight = created;
      this.flights.set(key, created);
      const forget = () => {
        if (this.flights.get(key) === created) this.flights.delete(key);
      };
      promise.then(forget, forget);
    }
    const joined = flight;
    joined.waiting++;
    if (signal) {
      const leave = () => {
        if (--joined.waiting > 0) return;
        // Nobody waits any more: a newcomer must start afresh rather than join a call being cancelled.
        if (this.flights.get(key) === joined) this.flights.delete(key);
        joined.controller.abort(signal.reason);
      };
      if (signal.aborted) leave();
      else {
        signal.addEventListener('abort', leave, { once: true });
        const stopListening = () => signal.removeEventListener('abort', leave);
        joined.promise.then(stopListening, stopListening);
      }
    }
    return joined.promise;
  }
}

interface Flight<T, Meta> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  readonly meta: Meta;
  /** Requests still interested; a request without a signal never leaves. */
  waiting: number;
}
