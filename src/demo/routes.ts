import type { KeyedRead } from '../services/define.js';
import { READS, type ReadName, type ServiceName } from '../services/index.js';
import { DEMO_CACHE_CONTROL, DEMO_FAILING_KEYS, DEMO_OUTAGE, type DemoData } from './data.js';

/** What a demo route answers: a JSON body (with its `Cache-Control`), 404, or a fixture failure (503 with a JSON body). */
export type DemoAnswer =
  | { readonly status: 200; readonly body: unknown; readonly cacheControl: string }
  | { readonly status: 503; readonly body: unknown }
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
 * upstream may: the gateway must match rows to keys itself. Every answer
 * carries its read's `Cache-Control` (data.ts).
 */
export function demoRoutes(data: DemoData): Record<ServiceName, DemoRoute[]> {
  const routes = {} as Record<ServiceName, DemoRoute[]>;
  const outage = outageFixture();
  for (const read of Object.values(READS) as KeyedRead[]) {
    const name = read.name as ReadName;
    const table = data[name] as ReadonlyMap<string, unknown>;
    const failing = DEMO_FAILING_KEYS[name];
    const cacheControl = DEMO_CACHE_CONTROL[name];
    const fixtures = (answer: (keys: readonly string[]) => DemoAnswer) => (keys: readonly string[]) =>
      failing && keys.some((key) => failing.has(key))
        ? ({ status: 503, body: { error: 'this demo key always fails' } } as const)
        : outage(name, keys, answer);
    (routes[read.service as ServiceName] ??= []).push(
      {
        pattern: read.perKey.split('/').map((part) => (part === '{key}' ? ':key' : part)),
        answer: fixtures(([key]) => (table.has(key!) ? { status: 200, body: table.get(key!), cacheControl } : { status: 404 })),
      },
      {
        pattern: read.batch.path.split('/'),
        listParam: read.batch.param,
        answer: fixtures((keys) => ({ status: 200, body: [...keys].reverse().flatMap((key) => table.get(key) ?? []), cacheControl })),
      },
    );
  }
  return routes;
}

/** DEMO_OUTAGE: the first call that carries its key is answered (with its own header), every later one fails. */
function outageFixture() {
  let answered = false;
  return (read: ReadName, keys: readonly string[], answer: (keys: readonly string[]) => DemoAnswer): DemoAnswer => {
    if (read !== DEMO_OUTAGE.read || !keys.includes(DEMO_OUTAGE.key)) return answer(keys);
    if (answered) return { status: 503, body: { error: 'this demo service went down after its first answer' } };
    answered = true;
    const first = answer(keys);
    return first.status === 200 ? { ...first, cacheControl: DEMO_OUTAGE.cacheControl } : first;
  };
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
