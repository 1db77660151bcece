import type { KeyedRead } from '../services/define.js';
import { READS, type ReadName, type ServiceName } from '../services/index.js';
import { DEMO_FAILING_KEYS, type DemoData } from './data.js';

/** What a demo route answers: a JSON body, 404, or a fixture failure (503 with a JSON body). */
export type DemoAnswer =
  | { readonly status: 200 | 503; readonly body: unknown }
  | { readonly status: 404 };

interface DemoRoute {
  /** Path segments; `:key` matches one segment. */
  readonly pattern: readonly string[];
  /** For batch routes: the query parameter holding comma-separated keys. */
  readonly listParam?: string;
  answer(keys: readonly string[]): DemoAnswer;
}

/**
 * Each service's routes, derived from its keyed reads: the per-key route
 * answers the key's row (404 when unknown), the batch route the rows of the
 * keys it knows, in reverse key order with unknown keys left out, as a real
 * upstream may: the gateway must match rows to keys itself.
 */
export function demoRoutes(data: DemoData): Record<ServiceName, DemoRoute[]> {
  const routes = {} as Record<ServiceName, DemoRoute[]>;
  for (const read of Object.values(READS) as KeyedRead[]) {
    const table = data[read.name as ReadName] as ReadonlyMap<string, unknown>;
    const failing = DEMO_FAILING_KEYS[read.name as ReadName];
    const unlessFailing = (answer: (keys: readonly string[]) => DemoAnswer) => (keys: readonly string[]) =>
      failing && keys.some((key) => failing.has(key))
        ? ({ status: 503, body: { error: 'this demo key always fails' } } as const)
        : answer(keys);
    (routes[read.service as ServiceName] ??= []).push(
      {
        pattern: read.perKey.split('/').map((part) => (part === '{key}' ? ':key' : part)),
        answer: unlessFailing(([key]) => (table.has(key!) ? { status: 200, body: table.get(key!) } : { status: 404 })),
      },
      {
        pattern: read.batch.path.split('/'),
        listParam: read.batch.param,
        answer: unlessFailing((keys) => ({ status: 200, body: [...keys].reverse().flatMap((key) => table.get(key) ?? []) })),
      },
    );
  }
  return routes;
}

/** Finds the route for a request and answers it; `undefined` when no route matches. */
export function answerDemoRequest(routes: readonly DemoRoute[], url: URL): DemoAnswer | undefined {
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  for (const route of routes) {
    if (route.pattern.length !== segments.length) continue;
    let matched: string | undefined;
    const fits = route.pattern.every((part, index) => {
      if (part === ':key') return (matched = segments[index]) !== undefined;
      return part === segments[index];
    });
    if (!fits) continue;
    if (route.listParam) {
      const list = url.searchParams.get(route.listParam);
      if (list === null) continue;
      return route.answer(list.split(',').filter(Boolean));
    }
    return route.answer([matched!]);
  }
  return undefined;
}
