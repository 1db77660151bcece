import type { z } from 'zod';
import type { ServiceSettings } from './settings.js';

/**
 * The vocabulary of a service module: what the gateway knows about one REST
 * service, declared once. Config (the `<SERVICE>_*` variables), loaders, the
 * error contract's service names, metrics labels, readiness, header
 * forwarding, the demo upstream and its knobs are all derived from these
 * declarations (see services/index.ts); nothing else lists services or reads.
 */

/** `one`: a key has at most one row (404 or left out: `null`). `many`: a key has a list of rows (possibly empty). */
export type Cardinality = 'one' | 'many';

/** A read of rows by key, with its per-key and batch endpoints. Every body is validated against `row`. */
export interface KeyedReadSpec<Row extends object = object, C extends Cardinality = Cardinality> {
  /** Per-key route, relative to the service's base URL; `{key}` stands for the one path segment. */
  readonly perKey: string;
  /** Batch route and the query parameter that carries the comma-separated keys. */
  readonly batch: { readonly path: string; readonly param: string };
  /** The documented row shape; a row that does not match is BAD_RESPONSE for its own key only. */
  readonly row: z.ZodType<Row>;
  /** The row field that holds the key: rows are matched to keys by it, never by position. */
  readonly keyField: keyof Row & string;
  readonly cardinality: C;
}

/** A read as the rest of the gateway sees it: named (the loader's name) and owned by a service. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- "some read": any row type, so any key field
export interface KeyedRead<Row extends object = any, C extends Cardinality = Cardinality, S extends string = string>
  extends KeyedReadSpec<Row, C> {
  readonly name: string;
  readonly service: S;
}

/** What a loader of `R` yields for one key. */
export type ReadValue<R> = R extends KeyedReadSpec<infer Row, infer C> ? (C extends 'one' ? Row | null : Row[]) : never;

/** A key with at most one row: `GET /users/{key}` (404 = not found) or `GET /users?ids=…` (left out = not found). */
export function rowByKey<Row extends object>(spec: Omit<KeyedReadSpec<Row, 'one'>, 'cardinality'>): KeyedReadSpec<Row, 'one'> {
  return { ...spec, cardinality: 'one' };
}

/** A key with a list of rows: `GET /users/{key}/orders` or `GET /orders?userIds=…` (rows carry the key). */
export function rowsByKey<Row extends object>(spec: Omit<KeyedReadSpec<Row, 'many'>, 'cardinality'>): KeyedReadSpec<Row, 'many'> {
  return { ...spec, cardinality: 'many' };
}

type ReadSpecs = Readonly<Record<string, KeyedReadSpec<any, Cardinality>>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ServiceSpec<Name extends string, Reads extends ReadSpecs> {
  /** Lower case; `<NAME>_*` are its environment variables, and it is the `service` of its failures and metrics. */
  readonly name: Name;
  readonly reads: Reads;
  /** Where this service's defaults differ from every service's (settings.ts). Environment variables still win. */
  readonly defaults?: Partial<ServiceSettings>;
}

export interface ServiceModule<Name extends string = string, Reads extends ReadSpecs = ReadSpecs> {
  readonly name: Name;
  readonly reads: { readonly [K in keyof Reads & string]: Reads[K] & { readonly name: K; readonly service: Name } };
  readonly defaults: Partial<ServiceSettings>;
}

const SERVICE_NAME = /^[a-z][a-z0-9]*$/;

export function defineService<const Name extends string, const Reads extends ReadSpecs>(spec: ServiceSpec<Name, Reads>): ServiceModule<Name, Reads> {
  // The name becomes an environment prefix (ORDERS_TIMEOUT_MS) and a metrics label: keep it to one plain word.
  if (!SERVICE_NAME.test(spec.name)) throw new TypeError(`service name ${JSON.stringify(spec.name)}: use lower-case letters and digits`);
  const reads = Object.fromEntries(
    Object.entries(spec.reads).map(([name, read]) => [name, Object.freeze({ ...read, name, service: spec.name })]),
  ) as ServiceModule<Name, Reads>['reads'];
  return Object.freeze({ name: spec.name, reads, defaults: spec.defaults ?? {} });
}
