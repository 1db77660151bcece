import type { Fetcher, FetcherResultPayload, SyncExecutionResult } from '@graphiql/toolkit';
import type { TracedCall, TracedPart } from './waterfall.js';

/**
 * GraphiQL keeps the last response only as text in its editor, so the panel
 * learns the trace from the fetcher: `traceUpstreamCalls` wraps it and records
 * each response part's `extensions.upstreams` here, for the panel to read
 * (`useSyncExternalStore`). Introspection (the schema) is not recorded.
 */
export interface UpstreamCallsState {
  readonly status: 'idle' | 'running' | 'done';
  readonly parts: readonly TracedPart[];
}

export class UpstreamCallsStore {
  private state: UpstreamCallsState = { status: 'idle', parts: [] };
  private readonly listeners = new Set<() => void>();
  private run = 0;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): UpstreamCallsState => this.state;

  /** A new operation replaces the last one's calls; parts of an older run that arrive late are dropped. */
  startRun(): { add(payload: unknown): void; end(): void } {
    const run = ++this.run;
    this.set({ status: 'running', parts: [] });
    const current = () => run === this.run;
    return {
      add: (payload) => current() && this.set({ ...this.state, parts: [...this.state.parts, partOf(payload, this.state.parts.length)] }),
      end: () => current() && this.set({ ...this.state, status: 'done' }),
    };
  }

  private set(state: UpstreamCallsState): void {
    this.state = state;
    this.listeners.forEach((listener) => listener());
  }
}

const INTROSPECTION = 'IntrospectionQuery';

export function traceUpstreamCalls(fetcher: Fetcher, store: UpstreamCallsStore): Fetcher {
  return async (params, options) => {
    if (params.operationName === INTROSPECTION) return fetcher(params, options);
    const run = store.startRun();
    try {
      const result = await fetcher(params, options);
      if (isAsyncIterable(result)) return recordEach(result, run);
      if (!isObservable(result)) run.add(result);
      run.end();
      return result;
    } catch (error) {
      run.end();
      throw error;
    }
  };
}

/** A multipart response yields arrays of parts; each part is recorded before GraphiQL sees it. */
async function* recordEach<T>(source: AsyncIterable<T>, run: { add(payload: unknown): void; end(): void }): AsyncGenerator<T> {
  try {
    for await (const value of source) {
      for (const payload of Array.isArray(value) ? value : [value]) run.add(payload);
      yield value;
    }
  } finally {
    run.end();
  }
}

interface IncrementalItem {
  readonly label?: string;
  readonly path?: ReadonlyArray<string | number>;
  readonly items?: unknown;
}

function partOf(payload: unknown, index: number): TracedPart {
  const { extensions, incremental } = (payload ?? {}) as FetcherResultPayload & {
    extensions?: { upstreams?: TracedCall[] };
    incremental?: IncrementalItem[];
  };
  const calls = Array.isArray(extensions?.upstreams) ? extensions.upstreams : undefined;
  return { title: partTitle(index, incremental), calls };
}

/** "Response" for the first part; then what each incremental part delivers, e.g. `@defer "notifications" at dashboard`. */
function partTitle(index: number, incremental: IncrementalItem[] | undefined): string {
  if (index === 0) return 'Response';
  if (!incremental?.length) return 'Final part';
  return incremental
    .map((item) => {
      const directive = item.items === undefined ? '@defer' : '@stream';
      const label = item.label === undefined ? '' : ` "${item.label}"`;
      return `${directive}${label} at ${(item.path ?? []).join('.') || 'the root'}`;
    })
    .join(', ');
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Subscriptions over WebSocket (none here) come as observables: passed through, not recorded. */
function isObservable(value: SyncExecutionResult): boolean {
  return typeof (value as { subscribe?: unknown }).subscribe === 'function';
}
