import type { z } from 'zod';
import type { ServiceSettings } from './settings.js';

/**
 * The vocabulary of a service module: what the gateway knows about one REST
 * service, declared once. Config (the `<SERVICE>_*` variables), loaders, the
 * error contract's service names, metrics labels, readiness, header
 * forwarding, the demo upstream and its knobs are all derived from these
 * declarations (see services/index.ts); nothing else lists services, reads
 * or writes.
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

/** What one write is sent with: the key of its route's `{key}` segment (if it has one) and its JSON body. */
export interface WriteInput<Body extends object = object> {
  readonly key?: string;
  readonly body: Body;
}

/**
 * A write: one POST to the service, sent only for a GraphQL mutation
 * (docs/writes.md). Never shared between requests, never cached.
 */
export interface WriteSpec<Body extends object = object, Answer = unknown> {
  /** Route relative to the service's base URL; `{key}` stands for one path segment, the input's `key`. */
  readonly path: string;
  /** The JSON body, checked before any call: input that does not fit is refused (INVALID_INPUT) without a call. */
  readonly body: z.ZodType<Body>;
  /** The documented answer of a 2xx; anything else is BAD_RESPONSE. */
  readonly answer: z.ZodType<Answer>;
  /**
   * `natural`: repeating it changes nothing more (marking as read), so it is retried like a read.
   * `key`: it carries an idempotency key in the service's idempotency header, and is retried like a read when the
   * service has one; to a service without one, only when no byte of it was sent.
   */
  readonly idempotency: 'natural' | 'key';
  /** What it changes, as keys of this service's reads: forgotten before the mutation answers, so reads see the write. */
  readonly changes: Readonly<Record<string, (input: WriteInput<Body>) => readonly string[]>>;
  /** Whether an answer is about this input (the order is that user's); one that is not is BAD_RESPONSE. */
  readonly belongs: (answer: Answer, input: WriteInput<Body>) => boolean;
}

/** A write as the rest of the gateway sees it: named (as its mutation) and owned by a service. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- "some write": any body and answer
export interface Write<Body extends object = any, Answer = any, S extends string = string> extends WriteSpec<Body, Answer> {
  readonly name: string;
  readonly service: S;
}

/** Declares a write; the identity, there so that the body and answer types are inferred from the shapes. */
export function defineWrite<Body extends object, Answer>(spec: WriteSpec<Body, Answer>): WriteSpec<Body, Answer> {
  return spec;
}

type ReadSpecs = Readonly<Record<string, KeyedReadSpec<any, Cardinality>>>; // eslint-disable-line @typescript-eslint/no-explicit-any
type WriteSpecs = Readonly<Record<string, WriteSpec<any, any>>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ServiceSpec<Name extends string, Reads extends ReadSpecs, Writes extends WriteSpecs> {
  /** Lower case; `<NAME>_*` are its environment variables, and it is the `service` of its failures and metrics. */
  readonly name: Name;
  readonly reads: Reads;
  readonly writes?: Writes;
  /** Where this service's defaults differ from every service's (settings.ts). Environment variables still win. */
  readonly defaults?: Partial<ServiceSettings>;
}

export interface ServiceModule<Name extends string = string, Reads extends ReadSpecs = ReadSpecs, Writes extends WriteSpecs = WriteSpecs> {
  readonly name: Name;
  readonly reads: { readonly [K in keyof Reads & string]: Reads[K] & { readonly name: K; readonly service: Name } };
  readonly writes: { readonly [K in keyof Writes & string]: Writes[K] & { readonly name: K; readonly service: Name } };
  readonly defaults: Partial<ServiceSettings>;
}

const SERVICE_NAME = /^[a-z][a-z0-9]*$/;

export function defineService<const Name extends string, const Reads extends ReadSpecs, const Writes extends WriteSpecs = Record<never, never>>(
  spec: ServiceSpec<Name, Reads, Writes>,
): ServiceModule<Name, Reads, Writes> {
  // The name becomes an environment prefix (ORDERS_TIMEOUT_MS) and a metrics label: keep it to one plain word.
  if (!SERVICE_NAME.test(spec.name)) throw new TypeError(`service name ${JSON.stringify(spec.name)}: use lower-case letters and digits`);
  const named = <T extends object>(specs: Readonly<Record<string, T>>) =>
    Object.fromEntries(Object.entries(specs).map(([name, item]) => [name, Object.freeze({ ...item, name, service: spec.name })]));
  const reads = named(spec.reads) as ServiceModule<Name, Reads>['reads'];
  const writes = named(spec.writes ?? {}) as ServiceModule<Name, Reads, Writes>['writes'];
  for (const write of Object.values(writes) as Write[]) checkWrite(write, reads);
  return Object.freeze({ name: spec.name, reads, writes, defaults: spec.defaults ?? {} });
}

/** A write forgets what it changed by read name: a name that is not one of its own service's reads would forget nothing. */
function checkWrite(write: Write, reads: Readonly<Record<string, unknown>>): void {
  for (const read of Object.keys(write.changes)) {
    if (!(read in reads)) throw new TypeError(`write "${write.name}" changes "${read}", which is not a read of ${write.service}`);
  }
}
