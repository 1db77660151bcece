/**
 * In-flight deduplication across GraphQL requests: concurrent identical GETs
 * (same route, same query, same forwarded credentials) share one upstream
 * call. The shared call is aborted only when every request waiting on it has
 * gone away, so one impatient client cannot fail another's answer.
 */
export class SharedFlights<Meta> {
  private readonly flights = new Map<string, Flight<unknown, Meta>>();

  /**
   * Waits on the flight in progress under `key` if there is one and `accept`
   * agrees, given what that flight was started with; `undefined` otherwise.
   */
  join<T>(key: string, signal: AbortSignal | undefined, accept: (meta: Meta) => boolean): Promise<T> | undefined {
    const flight = this.flights.get(key) as Flight<T, Meta> | undefined;
    return flight && accept(flight.meta) ? this.wait(key, flight, signal) : undefined;
  }

  /**
   * Starts a flight under `key`, which later identical calls may join. `run`
   * receives a signal that aborts once no one waits any more. A flight already
   * under `key` carries on for those waiting on it, but newcomers join this one.
   */
  start<T>(key: string, signal: AbortSignal | undefined, meta: Meta, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const flight: Flight<T, Meta> = { promise: run(controller.signal), controller, meta, waiting: 0 };
    this.flights.set(key, flight);
    const forget = () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    flight.promise.then(forget, forget);
    return this.wait(key, flight, signal);
  }

  /** Flights in progress carry on for those waiting on them, but no newcomer joins them any more. */
  retireAll(): void {
    this.flights.clear();
  }

  private wait<T>(key: string, flight: Flight<T, Meta>, signal: AbortSignal | undefined): Promise<T> {
    flight.waiting++;
    if (signal) {
      const leave = () => {
        if (--flight.waiting > 0) return;
        // Nobody waits any more: a newcomer must start afresh rather than join a call being cancelled.
        if (this.flights.get(key) === flight) this.flights.delete(key);
        flight.controller.abort(signal.reason);
      };
      if (signal.aborted) leave();
      else {
        signal.addEventListener('abort', leave, { once: true });
        const stopListening = () => signal.removeEventListener('abort', leave);
        flight.promise.then(stopListening, stopListening);
      }
    }
    return flight.promise;
  }
}

interface Flight<T, Meta> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  readonly meta: Meta;
  /** Requests still interested; a request without a signal never leaves. */
  waiting: number;
}
