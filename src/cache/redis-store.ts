import { Redis } from 'ioredis';
import { within } from './guarded-store.js';
import { FORGOTTEN_FOR_MS, StoreSkipped, type CacheStore, type StoreWrite } from './store.js';

const CLOSE_WAIT_MS = 1000;

/**
 * Stores rows, each unless its key was forgotten (`forgotten:<key>`, the
 * epoch ms of the removal) at or after the start of the call that read it.
 * KEYS: row key and its mark, per row; ARGV: field, text, TTL, call start,
 * per row. A key that holds something else fails alone; the count of such
 * failures is the answer.
 */
const STORE_ROWS = `
local failed = 0
for i = 1, #KEYS, 2 do
  local at = (i - 1) * 2
  local forgotten = tonumber(redis.pcall('GET', KEYS[i + 1]))
  if not forgotten or forgotten < tonumber(ARGV[at + 4]) then
    local set = redis.pcall('HSET', KEYS[i], ARGV[at + 1], ARGV[at + 2])
    if type(set) == 'table' and set.err then
      failed = failed + 1
    else
      redis.call('PEXPIRE', KEYS[i], ARGV[at + 3], 'NX')
      redis.call('PEXPIRE', KEYS[i], ARGV[at + 3], 'GT')
    end
  end
end
return failed`;

type StoringRedis = Redis & { storeRows(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<number> };

function forgottenMark(key: string): string {
  return `forgotten:${key}`;
}

export interface RedisStoreEvents {
  /** The first connection failed: said at start-up, not at the first request that would have used it. */
  startFailed?(reason: string): void;
}

/**
 * Why the connection failed, in words safe to log: a socket error's code
 * (`ECONNREFUSED`, `ENOTFOUND`) or a Redis error's own (`NOAUTH`,
 * `WRONGPASS`); never the message, which names the host and port.
 */
function failureCode(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code)) return code;
  return /^([A-Z][A-Z0-9_]{1,31})\b/.exec(error.message)?.[1] ?? error.name;
}

/** A read or a write asked for while the connection is down: it is not queued, the caller goes to the upstreams. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

/**
 * The shared store: one Redis hash per key, one field per audience. A lookup
 * of a batch is one pipeline of HMGETs, and a batch of rows is stored as one
 * script of HSET + PEXPIRE per key (STORE_ROWS): one round trip either way, whatever the
 * number of keys. The key's TTL is only ever lengthened (`NX`, then `GT`),
 * so it lives as long as its longest-lived field.
 *
 * Reads and writes are refused at once while the connection is not ready
 * (never queued: a request does not wait for Redis to come back). Removals
 * are the exception: a write's invalidation waits in ioredis's offline queue
 * and is the first thing sent when the connection is back, before any read.
 */
export function createRedisStore(url: URL, events: RedisStoreEvents = {}): CacheStore & { readonly failure: string | undefined } {
  const redis = new Redis(url.href, {
    // Commands in flight when the connection drops are sent again rather than failed after 20 reconnections: only
    // removals are ever waiting then, and they must not be lost.
    maxRetriesPerRequest: null,
    connectTimeout: 1000,
    // Reconnect quickly at first, then every 2 s at most, for as long as it takes.
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
  });
  redis.defineCommand('storeRows', { lua: STORE_ROWS });
  // The connection's ups and downs are reported by the store's guard (guarded-store.ts), once per change; the
  // error's code is kept for those lines.
  let failure: string | undefined;
  redis.on('error', (error: Error) => (failure = failureCode(error)));
  redis.on('ready', () => (failure = undefined));
  // Until the first connection is made or fails, the store is not down: it is not up yet.
  let starting = true;
  redis.once('ready', () => (starting = false));
  redis.once('close', () => {
    if (starting && redis.status !== 'ready') events.startFailed?.(failure ?? 'closed');
    starting = false;
  });
  const ready = () => {
    if (redis.status === 'ready') return;
    if (starting) throw new StoreSkipped('not connected yet');
    throw new StoreUnavailable('not connected');
  };

  return {
    kind: 'redis',
    get failure() {
      return failure;
    },
    async read(keys, fields) {
      ready();
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.hmget(key, ...fields);
      const replies = (await pipeline.exec()) ?? [];
      // A key that holds something else (WRONGTYPE) is that key's problem only: the other keys' rows still count.
      return replies.map(([error, values]) => {
        if (error) return error;
        if (!Array.isArray(values)) return new TypeError('HMGET did not answer a list');
        return values.map((value) => (typeof value === 'string' ? value : undefined));
      });
    },
    async write(entries) {
      ready();
      const keys = entries.flatMap(({ key }) => [key, forgottenMark(key)]);
      const failed = await (redis as StoringRedis).storeRows(keys.length, ...keys, ...entries.flatMap(storeArguments));
      if (failed > 0) throw new Error(`${failed} keys hold something other than rows`);
    },
    async remove(keys, forgottenAt) {
      if (keys.length === 0) return;
      if (forgottenAt === undefined) return void (await redis.del(...keys));
      // Other processes may be reading these keys from their upstream now: the mark keeps them from storing that.
      const multi = redis.multi().del(...keys);
      for (const key of keys) multi.set(forgottenMark(key), forgottenAt, 'PX', FORGOTTEN_FOR_MS);
      await multi.exec();
    },
    async close() {
      // QUIT waits for the replies of what was sent, for a moment; a dead or stuck connection is simply dropped.
      if (redis.status === 'ready') await within(CLOSE_WAIT_MS, redis.quit()).catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

function storeArguments({ field, text, ttlMs, startedAt }: StoreWrite): Array<string | number> {
  return [field, text, Math.max(1, Math.ceil(ttlMs)), startedAt];
}
