import { availableParallelism } from 'node:os';

/**
 * Environment -> frozen, typed Config. This is the only module that reads the
 * environment; everything below receives the Config. Each setting is read by
 * its own reader, which names the variable and echoes the bad value, so a
 * misconfigured start-up stops with one line an operator can act on.
 */

export const SERVICE_NAMES = ['users', 'orders', 'notifications', 'products', 'inventory'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Settings of one upstream. `U` is `URL | undefined` before the demo upstreams fill the gaps. */
export interface ServiceConfig<U extends URL | undefined = URL> {
  readonly name: ServiceName;
  /** Base URL; `undefined` means "serve this service from the built-in demo upstream". */
  readonly baseUrl: U;
  /** Whole-call deadline for one upstream call, retries included. */
  readonly timeoutMs: number;
  /** Extra tries for a failed idempotent call. */
  readonly retries: number;
  /** Use the batch endpoint (one call for many keys) rather than one call per key. */
  readonly batch: boolean;
  readonly maxBatchSize: number;
  /** Most calls in flight to this service at once, across all requests. */
  readonly maxConcurrency: number;
}

export interface Config<U extends URL | undefined = URL | undefined> {
  readonly port: number;
  readonly graphiql: boolean;
  readonly introspection: boolean;
  /** Budget of one GraphQL request; no upstream attempt outlives it. */
  readonly requestTimeoutMs: number;
  /** Idle keep-alive sockets are closed after this; it must stay below the upstreams' keep-alive. */
  readonly upstreamIdleTimeoutMs: number;
  /** Longest list accepted by `users(ids)` / `products(ids)`. */
  readonly maxIdsPerList: number;
  readonly logLevel: LogLevel;
  readonly services: { readonly [S in ServiceName]: ServiceConfig<U> };
  /** Behaviour of the built-in demo upstreams (only used for services without a URL). */
  readonly demo: DemoConfig;
  /** Logs, metrics, traces, shutdown and processes: what an operator runs the gateway with. */
  readonly operations: OperationsConfig;
}

export interface OperationsConfig {
  /** OTLP/HTTP base URL; `undefined` switches tracing off entirely (no plugin, no cost). */
  readonly otlpEndpoint: URL | undefined;
  /** `service.name` of the gateway's spans. */
  readonly otelServiceName: string;
  /** After SIGTERM: how long readiness fails while the gateway still accepts, so load balancers move away. */
  readonly shutdownDelayMs: number;
  /** After it stops accepting: how long in-flight requests may take to finish before they are cut. */
  readonly shutdownDrainMs: number;
  /** Processes serving HTTP (node:cluster); 1 means no cluster at all. */
  readonly workers: number;
}

export interface DemoKnobSettings {
  readonly latencyMs: number;
  readonly failStatus: number | null;
  readonly hang: boolean;
}

export interface DemoConfig {
  /** `npm run upstreams` listens on this port and the four after it, in SERVICE_NAMES order. */
  readonly basePort: number;
  readonly knobs: { readonly [S in ServiceName]: DemoKnobSettings };
}

/** Config whose every service has a URL: what the gateway itself is built from. */
export type GatewayConfig = Config<URL>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A setting that cannot be used; its message is the one line printed at start-up. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env): Config {
  const services = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, readServiceConfig(env, name)]),
  ) as Record<ServiceName, ServiceConfig<URL | undefined>>;
  return deepFreeze({
    port: readInteger(env, 'PORT', 4000, { min: 0, max: 65_535 }),
    graphiql: readBoolean(env, 'GRAPHIQL', true),
    introspection: readBoolean(env, 'INTROSPECTION', true),
    requestTimeoutMs: readInteger(env, 'REQUEST_TIMEOUT_MS', 8000, { min: 1 }),
    upstreamIdleTimeoutMs: readInteger(env, 'UPSTREAM_IDLE_TIMEOUT_MS', 4000, { min: 1 }),
    maxIdsPerList: readInteger(env, 'MAX_IDS_PER_LIST', 100, { min: 1 }),
    logLevel: readWord(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    services,
    demo: readDemoConfig(env),
    operations: readOperationsConfig(env),
  });
}

function readOperationsConfig(env: Env): OperationsConfig {
  return {
    otlpEndpoint: readUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
    otelServiceName: present(env, 'OTEL_SERVICE_NAME') ?? 'graphql-gateway',
    shutdownDelayMs: readInteger(env, 'SHUTDOWN_DELAY_MS', 0, { min: 0, max: 600_000 }),
    shutdownDrainMs: readInteger(env, 'SHUTDOWN_DRAIN_MS', 10_000, { min: 0, max: 600_000 }),
    workers: readWorkers(env, 'WORKERS'),
  };
}

/** A count of processes, or `auto` for one per core this process may use. */
function readWorkers(env: Env, name: string): number {
  const raw = present(env, name)?.toLowerCase();
  if (raw === 'auto') return availableParallelism();
  if (raw !== undefined && !/^\d+$/.test(raw)) {
    throw new ConfigError(`${name}: expected a whole number from 1 to 256 or "auto", got ${JSON.stringify(raw)}`);
  }
  return readInteger(env, name, 1, { min: 1, max: 256 });
}

function readDemoConfig(env: Env): DemoConfig {
  const knobs = Object.fromEntries(
    SERVICE_NAMES.map((name) => {
      const prefix = `DEMO_${name.toUpperCase()}`;
      const failStatus = readInteger(env, `${prefix}_FAIL_STATUS`, 0, { min: 0, max: 599 });
      if (failStatus !== 0 && failStatus < 400) {
        throw new ConfigError(`${prefix}_FAIL_STATUS: expected 0 (off) or a status from 400 to 599, got "${failStatus}"`);
      }
      return [
        name,
        {
          latencyMs: readInteger(env, `${prefix}_LATENCY_MS`, 0, { min: 0, max: 600_000 }),
          failStatus: failStatus === 0 ? null : failStatus,
          hang: readBoolean(env, `${prefix}_HANG`, false),
        },
      ];
    }),
  ) as Record<ServiceName, DemoKnobSettings>;
  return { basePort: readInteger(env, 'DEMO_BASE_PORT', 4001, { min: 1, max: 65_530 }), knobs };
}

function readServiceConfig(env: Env, name: ServiceName): ServiceConfig<URL | undefined> {
  const prefix = name.toUpperCase();
  return {
    name,
    baseUrl: readUrl(env, `${prefix}_SERVICE_URL`),
    timeoutMs: readInteger(env, `${prefix}_TIMEOUT_MS`, 2000, { min: 1 }),
    retries: readInteger(env, `${prefix}_RETRIES`, 2, { min: 0, max: 10 }),
    batch: readBoolean(env, `${prefix}_BATCH`, true),
    maxBatchSize: readInteger(env, `${prefix}_MAX_BATCH_SIZE`, 100, { min: 1 }),
    maxConcurrency: readInteger(env, `${prefix}_MAX_CONCURRENCY`, 64, { min: 1 }),
  };
}

/** Fills every service without a URL from `urls` (the demo upstreams). */
export function withUpstreamUrls(
  config: Config,
  urls: Partial<Record<ServiceName, URL>>,
): GatewayConfig {
  const services = Object.fromEntries(
    SERVICE_NAMES.map((name) => {
      const service = config.services[name];
      const baseUrl = service.baseUrl ?? urls[name];
      if (!baseUrl) throw new ConfigError(`${name.toUpperCase()}_SERVICE_URL: no URL and no demo upstream`);
      return [name, { ...service, baseUrl }];
    }),
  ) as Record<ServiceName, ServiceConfig<URL>>;
  return deepFreeze({ ...config, services });
}

export function servicesWithoutUrl(config: Config): ServiceName[] {
  return SERVICE_NAMES.filter((name) => config.services[name].baseUrl === undefined);
}

// --- readers: each names the variable and echoes what it could not use -----

function present(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function readInteger(
  env: Env,
  name: string,
  fallback: number,
  { min, max = Number.MAX_SAFE_INTEGER }: { min: number; max?: number },
): number {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`${name}: expected a whole number ${range}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(`${name}: expected "true" or "false", got ${JSON.stringify(raw)}`);
}

function readWord<W extends string>(env: Env, name: string, fallback: W, words: readonly W[]): W {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if ((words as readonly string[]).includes(raw)) return raw as W;
  throw new ConfigError(`${name}: expected one of ${words.join(', ')}, got ${JSON.stringify(raw)}`);
}

/** The URL itself is not echoed: it may carry credentials. */
function readUrl(env: Env, name: string): URL | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name}: not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name}: expected an http:// or https:// URL, got scheme "${url.protocol}"`);
  }
  if (url.search || url.hash) {
    throw new ConfigError(`${name}: a base URL takes no query string or fragment`);
  }
  // got's prefixUrl joins paths textually; a trailing slash makes "base + route" unambiguous.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof URL)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
