/**
 * Environment -> frozen, typed Config. This is the only module that reads the
 * environment (through the readers of env-readers.ts); everything below
 * receives the Config. A bad value stops start-up with one line naming the
 * variable.
 */
import { availableParallelism } from 'node:os';
import { ConfigError, deepFreeze, present, readBoolean, readDuration, readInteger, readOrigins, readUrl, readWord, type Env } from './env-readers.js';
import { loadDefaultQuery } from './graphiql/default-query.js';
import { NEVER_FORWARDED } from './security/forward-headers.js';
import { loadTrustedDocuments, type TrustedDocuments } from './security/trusted-documents.js';
import { SERVICES, SERVICE_NAMES, type Service, type ServiceName } from './services/index.js';
import { DEFAULT_SERVICE_SETTINGS, type ServiceSettings } from './services/settings.js';
import type { BreakerSettings } from './upstream/circuit-breaker.js';
import type { RetryBudgetSettings } from './upstream/retry-budget.js';

export { ConfigError } from './env-readers.js';

/** Settings of one upstream. `U` is `URL | undefined` before the demo upstreams fill the gaps. */
/** The settings a call needs as they are (the rest are read into the shapes below). */
type PlainSettings = 'timeoutMs' | 'retries' | 'batch' | 'maxBatchSize' | 'maxConcurrency' | 'dedupe' | 'maxQueue' | 'connectTimeoutMs' | 'maxResponseBytes' | 'cache';

export interface ServiceConfig<U extends URL | undefined = URL> extends Pick<ServiceSettings, PlainSettings> {
  readonly name: ServiceName;
  /** Base URL; `undefined` means "serve this service from the built-in demo upstream". */
  readonly baseUrl: U;
  readonly retryBudget: RetryBudgetSettings;
  /** `undefined`: no circuit breaker for this service. */
  readonly breaker: BreakerSettings | undefined;
  /** Client headers (lower case) this service receives; no other client header reaches it. */
  readonly forwardHeaders: readonly string[];
  /** Header that carries the idempotency key of a write; `undefined`: the service takes none (docs/writes.md). */
  readonly idempotencyHeader: string | undefined;
}

export interface Config<U extends URL | undefined = URL | undefined> {
  readonly port: number;
  readonly graphiql: boolean;
  /** GraphiQL's first tab, from the GRAPHIQL_DEFAULT_QUERY file; `undefined`: the dashboard. */
  readonly graphiqlDefaultQuery: string | undefined;
  /**
   * Services answered by the built-in demo upstreams: those without a URL, and those DEMO_SERVICES names (the
   * cluster primary names its own for its workers). GraphiQL shows the demo tabs only over these.
   */
  readonly demoServices: readonly ServiceName[];
  readonly introspection: boolean;
  /** Also serve `/subgraph`, an Apollo Federation v2 subgraph of the same schema, for a federation router. */
  readonly federation: boolean;
  /** Budget of one GraphQL request; no upstream attempt outlives it. */
  readonly requestTimeoutMs: number;
  /** Idle keep-alive sockets are closed after this; it must stay below the upstreams' keep-alive. */
  readonly upstreamIdleTimeoutMs: number;
  /** Longest list an operation passes as an argument (`ids` lists, a router's `_entities` representations). */
  readonly maxIdsPerList: number;
  readonly logLevel: LogLevel;
  /** Who may see `extensions.upstreams`: nobody, requests with `x-gateway-trace: 1` (and GraphiQL), or every response. */
  readonly upstreamTrace: UpstreamTraceMode;
  readonly services: { readonly [S in ServiceName]: ServiceConfig<U> };
  /** Behaviour of the built-in demo upstreams (only used for services without a URL). */
  readonly demo: DemoConfig;
  /** Limits and policies against hostile input (docs/security.md). */
  readonly security: SecurityConfig;
  /** Logs, metrics, traces, shutdown and processes: what an operator runs the gateway with. */
  readonly operations: OperationsConfig;
  /** Where upstream rows are kept between requests (docs/caching.md). */
  readonly cache: CacheConfig;
}

export interface CacheConfig {
  /** `memory`: in this process; a `redis://` or `rediss://` URL: shared by every process and replica using it. */
  readonly store: 'memory' | URL;
  /** Bound of what the memory store costs the process, in bytes (its rows take at most a fifth: memory-store.ts). */
  readonly maxBytes: number;
  /** Deadline of one operation on a remote store; past it, the request goes on as if nothing were cached. */
  readonly storeTimeoutMs: number;
  /** Keys the hash under which private rows are kept; `undefined`: a random one per process. */
  readonly scopeSecret: string | undefined;
}

/** Each limit is checked before any upstream call; docs/security.md names each variable. */
export interface SecurityConfig {
  /** Deepest field path of an operation (introspection excluded: see the next one). */
  readonly maxDepth: number;
  /** Deepest field path under `__schema` / `__type`; GraphiQL's introspection query needs 15. */
  readonly maxIntrospectionDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  /** Lexical tokens of a document, counted before parsing; counting stops at the first one over. */
  readonly maxTokens: number;
  /** Cost of an operation: about the values its answer holds, lists counted at their length (operation-cost.ts). */
  readonly maxCost: number;
  /** Cost of the operations executing at once in this process; more waits for room (admission control). */
  readonly maxCostInFlight: number;
  /** Longest wait for room in that budget; then 503 with Retry-After. */
  readonly admissionWaitMs: number;
  /** Distinct top-level fields of an operation. */
  readonly maxRootFields: number;
  /** Largest HTTP request body; larger ones get 413 without being read whole. */
  readonly maxRequestBytes: number;
  /** Origins that may call with credentials; `undefined`: any origin, never with credentials. */
  readonly corsOrigins: readonly string[] | undefined;
  /** Trusted documents (hash -> document) from the PERSISTED_OPERATIONS manifest. */
  readonly trustedDocuments: TrustedDocuments | undefined;
  /** `false`: only documents of the manifest run. */
  readonly allowArbitraryOperations: boolean;
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
  /** Client connections one process holds at once; more are closed on arrival. */
  readonly maxConnections: number;
  /** A connection must send a whole request head within this of opening (or of starting its next request). */
  readonly headersTimeoutMs: number;
  /** A listener of its own for `/metrics` (and `/health`); `undefined`: `/metrics` is on the main port. */
  readonly metricsPort: number | undefined;
}

export interface DemoKnobSettings {
  readonly latencyMs: number;
  readonly failStatus: number | null;
  readonly hang: boolean;
  /** Writes only (services that declare some): refused with this status, not carried out. */
  readonly writeFailStatus: number | null;
  /** Writes only: carried out, and never answered (the outcome a client cannot know). */
  readonly writeHang: boolean;
  /** `undefined`: each read's own `Cache-Control`; `null`: none at all. */
  readonly cacheControl: string | null | undefined;
}

export interface DemoConfig {
  /** `npm run upstreams` listens on this port and the ones after it, one per service, in SERVICE_NAMES order. */
  readonly basePort: number;
  readonly knobs: { readonly [S in ServiceName]: DemoKnobSettings };
}

/** Config whose every service has a URL: what the gateway itself is built from. */
export type GatewayConfig = Config<URL>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const UPSTREAM_TRACE_MODES = ['off', 'header', 'always'] as const;
export type UpstreamTraceMode = (typeof UPSTREAM_TRACE_MODES)[number];

export function loadConfig(env: Env): Config {
  const services = Object.fromEntries(
    SERVICES.map((service) => [service.name, readServiceConfig(env, service)]),
  ) as Record<ServiceName, ServiceConfig<URL | undefined>>;
  const security = readSecurityConfig(env);
  return deepFreeze({
    port: readInteger(env, 'PORT', 4000, { min: 0, max: 65_535 }),
    graphiql: readBoolean(env, 'GRAPHIQL', true),
    graphiqlDefaultQuery: readFile(env, 'GRAPHIQL_DEFAULT_QUERY', loadDefaultQuery),
    demoServices: readDemoServices(env, 'DEMO_SERVICES', services),
    introspection: readBoolean(env, 'INTROSPECTION', true),
    federation: readFederation(env, 'FEDERATION', security),
    requestTimeoutMs: readDuration(env, 'REQUEST_TIMEOUT_MS', 8000, { min: 1 }),
    upstreamIdleTimeoutMs: readDuration(env, 'UPSTREAM_IDLE_TIMEOUT_MS', 4000, { min: 1 }),
    maxIdsPerList: readInteger(env, 'MAX_IDS_PER_LIST', 100, { min: 1 }),
    logLevel: readWord(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    // The trace shows the graph's REST calls to whoever asks: a production operator opts in.
    upstreamTrace: readWord(env, 'UPSTREAM_TRACE', present(env, 'NODE_ENV') === 'production' ? 'off' : 'header', UPSTREAM_TRACE_MODES),
    services,
    demo: readDemoConfig(env),
    security,
    operations: readOperationsConfig(env),
    cache: readCacheConfig(env),
  });
}

/**
 * A router writes its own operations for `/subgraph`, which no manifest of
 * trusted documents can list; letting them past the manifest would open the
 * gateway to any operation, so the two settings cannot be combined.
 */
function readFederation(env: Env, name: string, security: SecurityConfig): boolean {
  const federation = readBoolean(env, name, false);
  if (federation && !security.allowArbitraryOperations) {
    throw new ConfigError(`${name}: "true" needs ALLOW_ARBITRARY_OPERATIONS=true (a router sends operations that no manifest lists)`);
  }
  return federation;
}

function readCacheConfig(env: Env): CacheConfig {
  const scopeSecret = present(env, 'CACHE_SCOPE_SECRET');
  if (scopeSecret !== undefined && scopeSecret.length < 32) {
    // Not echoed: it is a secret.
    throw new ConfigError(`CACHE_SCOPE_SECRET: expected at least 32 characters, got ${scopeSecret.length}`);
  }
  return {
    store: readCacheStore(env, 'CACHE_STORE'),
    maxBytes: readInteger(env, 'CACHE_MAX_BYTES', 64 * 1024 * 1024, { min: 1024 }),
    storeTimeoutMs: readDuration(env, 'CACHE_STORE_TIMEOUT_MS', 50, { min: 1, max: 10_000 }),
    scopeSecret,
  };
}

/** `memory`, or a Redis URL (not echoed: it may carry a password). */
function readCacheStore(env: Env, name: string): 'memory' | URL {
  const raw = present(env, name);
  if (raw === undefined || raw.toLowerCase() === 'memory') return 'memory';
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'redis:' && url?.protocol !== 'rediss:') {
    throw new ConfigError(`${name}: expected "memory" or a redis:// or rediss:// URL`);
  }
  // ioredis takes the path as the database number; anything else becomes SELECT NaN, whose error crashes the process.
  if (!/^\/?\d{0,9}$/.test(url.pathname)) {
    throw new ConfigError(`${name}: the database (the URL's path) must be a whole number, as in redis://host:6379/0`);
  }
  return url;
}

function readSecurityConfig(env: Env): SecurityConfig {
  const trustedDocuments = readFile(env, 'PERSISTED_OPERATIONS', loadTrustedDocuments);
  const allowArbitraryOperations = readBoolean(env, 'ALLOW_ARBITRARY_OPERATIONS', true);
  if (!allowArbitraryOperations && !trustedDocuments) {
    throw new ConfigError('ALLOW_ARBITRARY_OPERATIONS: "false" needs PERSISTED_OPERATIONS (the manifest of the operations to allow)');
  }
  return {
    maxDepth: readInteger(env, 'MAX_DEPTH', 6, { min: 1 }),
    maxIntrospectionDepth: readInteger(env, 'MAX_INTROSPECTION_DEPTH', 15, { min: 1 }),
    maxAliases: readInteger(env, 'MAX_ALIASES', 15, { min: 0 }),
    maxDirectives: readInteger(env, 'MAX_DIRECTIVES', 50, { min: 0 }),
    maxTokens: readInteger(env, 'MAX_TOKENS', 1000, { min: 1 }),
    maxCost: readInteger(env, 'MAX_COST', 20_000, { min: 1 }),
    // Five operations at the cost limit (~50 ms of CPU each here), or hundreds of dashboards (cost ~150) at once.
    maxCostInFlight: readInteger(env, 'MAX_COST_IN_FLIGHT', 100_000, { min: 1 }),
    admissionWaitMs: readDuration(env, 'ADMISSION_WAIT_MS', 1000, { min: 0, max: 60_000 }),
    maxRootFields: readInteger(env, 'MAX_ROOT_FIELDS', 10, { min: 1 }),
    maxRequestBytes: readInteger(env, 'MAX_REQUEST_BYTES', 1_000_000, { min: 1024 }),
    corsOrigins: readOrigins(env, 'CORS_ORIGINS'),
    trustedDocuments,
    allowArbitraryOperations,
  };
}

function readOperationsConfig(env: Env): OperationsConfig {
  return {
    otlpEndpoint: readUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
    otelServiceName: present(env, 'OTEL_SERVICE_NAME') ?? 'graphql-gateway',
    shutdownDelayMs: readDuration(env, 'SHUTDOWN_DELAY_MS', 0, { min: 0, max: 600_000 }),
    shutdownDrainMs: readDuration(env, 'SHUTDOWN_DRAIN_MS', 10_000, { min: 0, max: 600_000 }),
    workers: readWorkers(env, 'WORKERS'),
    maxConnections: readInteger(env, 'MAX_CONNECTIONS', 10_000, { min: 1 }),
    // At most the 30 s the whole request may take.
    headersTimeoutMs: readDuration(env, 'HEADERS_TIMEOUT_MS', 5000, { min: 1, max: 30_000 }),
    metricsPort: readMetricsPort(env, 'METRICS_PORT'),
  };
}

function readMetricsPort(env: Env, name: string): number | undefined {
  if (present(env, name) === undefined) return undefined;
  const port = readInteger(env, name, 0, { min: 0, max: 65_535 });
  if (port !== 0 && port === readInteger(env, 'PORT', 4000, { min: 0, max: 65_535 })) {
    throw new ConfigError(`${name}: ${port} is PORT as well; the scrapers' listener needs a port of its own`);
  }
  return port;
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
    SERVICES.map(({ name, writes }) => {
      const prefix = `DEMO_${name.toUpperCase()}`;
      const hasWrites = Object.keys(writes).length > 0;
      return [
        name,
        {
          latencyMs: readDuration(env, `${prefix}_LATENCY_MS`, 0, { min: 0, max: 600_000 }),
          failStatus: readFailStatus(env, `${prefix}_FAIL_STATUS`),
          hang: readBoolean(env, `${prefix}_HANG`, false),
          writeFailStatus: hasWrites ? readFailStatus(env, `${prefix}_WRITE_FAIL_STATUS`) : null,
          writeHang: hasWrites && readBoolean(env, `${prefix}_WRITE_HANG`, false),
          cacheControl: readDemoCacheControl(env, `${prefix}_CACHE_CONTROL`),
        },
      ];
    }),
  ) as Record<ServiceName, DemoKnobSettings>;
  return { basePort: readInteger(env, 'DEMO_BASE_PORT', 4001, { min: 1, max: 65_530 }), knobs };
}

/** 0 (off) or an error status; `null` when off. */
function readFailStatus(env: Env, name: string): number | null {
  const status = readInteger(env, name, 0, { min: 0, max: 599 });
  if (status !== 0 && status < 400) throw new ConfigError(`${name}: expected 0 (off) or a status from 400 to 599, got "${status}"`);
  return status === 0 ? null : status;
}

/** Unset: the read's own header; `none`: no header; otherwise the header value itself. */
function readDemoCacheControl(env: Env, name: string): string | null | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  if (raw.toLowerCase() === 'none') return null;
  if (!/^[\x20-\x7e]+$/.test(raw)) throw new ConfigError(`${name}: expected "none" or a Cache-Control value of printable ASCII`);
  return raw;
}

function readServiceConfig(env: Env, service: Service): ServiceConfig<URL | undefined> {
  const { name } = service;
  const prefix = name.toUpperCase();
  const defaults = { ...DEFAULT_SERVICE_SETTINGS, ...service.defaults };
  const baseUrl = readServiceUrl(env, `${prefix}_SERVICE_URL`);
  const forwardHeaders = readHeaderNames(env, `${prefix}_FORWARD_HEADERS`);
  if ((baseUrl?.username || baseUrl?.password) && forwardHeaders.includes('authorization')) {
    // got turns URL credentials into an Authorization header that replaces the client's: every client would reach
    // the service as the gateway's own account.
    throw new ConfigError(
      `${prefix}_SERVICE_URL: carries credentials, which would replace the authorization header ${prefix}_FORWARD_HEADERS forwards; use one or the other`,
    );
  }
  return {
    name,
    baseUrl,
    timeoutMs: readDuration(env, `${prefix}_TIMEOUT_MS`, defaults.timeoutMs, { min: 1 }),
    retries: readInteger(env, `${prefix}_RETRIES`, defaults.retries, { min: 0, max: 10 }),
    batch: readBoolean(env, `${prefix}_BATCH`, defaults.batch),
    maxBatchSize: readInteger(env, `${prefix}_MAX_BATCH_SIZE`, defaults.maxBatchSize, { min: 1 }),
    maxConcurrency: readInteger(env, `${prefix}_MAX_CONCURRENCY`, defaults.maxConcurrency, { min: 1 }),
    dedupe: readBoolean(env, `${prefix}_DEDUPE`, defaults.dedupe),
    maxQueue: readInteger(env, `${prefix}_MAX_QUEUE`, defaults.maxQueue, { min: 0 }),
    connectTimeoutMs: readDuration(env, `${prefix}_CONNECT_TIMEOUT_MS`, defaults.connectTimeoutMs, { min: 1 }),
    maxResponseBytes: readInteger(env, `${prefix}_MAX_RESPONSE_BYTES`, defaults.maxResponseBytes, { min: 1 }),
    retryBudget: {
      percent: readInteger(env, `${prefix}_RETRY_BUDGET_PERCENT`, defaults.retryBudgetPercent, { min: 0, max: 100 }),
      minPerSecond: readInteger(env, `${prefix}_RETRY_BUDGET_MIN_PER_SEC`, defaults.retryBudgetMinPerSecond, { min: 0 }),
    },
    breaker: readBreaker(env, prefix, defaults),
    forwardHeaders,
    idempotencyHeader: readIdempotencyHeader(env, `${prefix}_IDEMPOTENCY_HEADER`, defaults.idempotencyHeader, forwardHeaders),
    cache: readBoolean(env, `${prefix}_CACHE`, defaults.cache),
  };
}

/** Unset: the default. Set but empty: the service takes no idempotency key (unlike other variables, where empty means unset). */
function readIdempotencyHeader(env: Env, name: string, fallback: string, forwarded: readonly string[]): string | undefined {
  const raw = env[name] === undefined ? fallback : env[name].trim();
  if (raw === '') return undefined;
  const header = raw.toLowerCase();
  if (!HEADER_NAME.test(header)) throw new ConfigError(`${name}: ${JSON.stringify(raw)} is not a header name`);
  if (NEVER_FORWARDED.has(header)) throw new ConfigError(`${name}: "${header}" is a header the gateway sets itself or that frames the message`);
  // The client's header would be overwritten by the gateway's key: say so at start-up rather than surprise later.
  if (forwarded.includes(header)) throw new ConfigError(`${name}: "${header}" is also in the forwarded client headers; the gateway sets it itself`);
  return raw;
}

/**
 * Unset means "serve this service from the built-in demo data". A value that is set but empty (a template or secret
 * that resolved to nothing) must not quietly mean the same in production: it stops start-up.
 */
function readServiceUrl(env: Env, name: string): URL | undefined {
  if (env[name] !== undefined && present(env, name) === undefined) {
    throw new ConfigError(`${name}: set but empty; unset it to use the built-in demo upstream`);
  }
  return readUrl(env, name);
}

function readBreaker(env: Env, prefix: string, defaults: ServiceSettings): BreakerSettings | undefined {
  // Read even when switched off: a bad value stops start-up whatever else is set, as for every other variable.
  const thresholds: BreakerSettings = {
    consecutiveFailures: readInteger(env, `${prefix}_BREAKER_FAILURES`, defaults.breakerFailures, { min: 1 }),
    failurePercent: readInteger(env, `${prefix}_BREAKER_FAILURE_PERCENT`, defaults.breakerFailurePercent, { min: 1, max: 100 }),
    minCalls: readInteger(env, `${prefix}_BREAKER_MIN_CALLS`, defaults.breakerMinCalls, { min: 1 }),
    windowMs: readDuration(env, `${prefix}_BREAKER_WINDOW_MS`, defaults.breakerWindowMs, { min: 1 }),
    cooldownMs: readDuration(env, `${prefix}_BREAKER_COOLDOWN_MS`, defaults.breakerCooldownMs, { min: 1 }),
    maxCooldownMs: readDuration(env, `${prefix}_BREAKER_MAX_COOLDOWN_MS`, defaults.breakerMaxCooldownMs, { min: 1 }),
  };
  return readBoolean(env, `${prefix}_BREAKER`, defaults.breaker) ? thresholds : undefined;
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

function readDemoServices(env: Env, name: string, services: Record<ServiceName, ServiceConfig<URL | undefined>>): ServiceName[] {
  const named = (present(env, name) ?? '').toLowerCase().split(',').map((part) => part.trim()).filter(Boolean);
  const unknown = named.find((service) => !(SERVICE_NAMES as readonly string[]).includes(service));
  if (unknown !== undefined) throw new ConfigError(`${name}: ${JSON.stringify(unknown)} is not a service; expected some of ${SERVICE_NAMES.join(', ')}`);
  return SERVICE_NAMES.filter((service) => services[service].baseUrl === undefined || named.includes(service));
}

export function servicesWithoutUrl(config: Config): ServiceName[] {
  return SERVICE_NAMES.filter((name) => config.services[name].baseUrl === undefined);
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

function readHeaderNames(env: Env, name: string): string[] {
  const raw = present(env, name);
  if (raw === undefined) return [];
  const names = [...new Set(raw.toLowerCase().split(',').map((part) => part.trim()).filter(Boolean))];
  for (const header of names) {
    if (!HEADER_NAME.test(header)) throw new ConfigError(`${name}: ${JSON.stringify(header)} is not a header name`);
    if (NEVER_FORWARDED.has(header)) {
      throw new ConfigError(`${name}: "${header}" is never forwarded (hop-by-hop, message framing, or set by the gateway)`);
    }
  }
  return names;
}

/** A setting that names a file, read (and checked by `load`) at start-up. */
function readFile<T>(env: Env, name: string, load: (path: string) => T): T | undefined {
  const path = present(env, name);
  if (path === undefined) return undefined;
  try {
    return load(path);
  } catch (error) {
    throw new ConfigError(`${name}: ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
