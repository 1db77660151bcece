import cluster, { type Worker } from 'node:cluster';
import type { ForgetBus } from '../cache/row-cache.js';

/**
 * With WORKERS > 1 and the memory store, each worker keeps its own rows, so a
 * write's invalidation must reach every other worker before the write
 * answers. The worker that wrote asks the primary, which relays the keys to
 * the other workers and answers once each has confirmed (or after
 * RELAY_WAIT_MS, so that a worker that hangs or dies holds up no write).
 */
const FORGET = 'gateway:cache-forget';
const APPLY = 'gateway:cache-forget-apply';
const APPLIED = 'gateway:cache-forget-applied';
const DONE = 'gateway:cache-forget-done';

const RELAY_WAIT_MS = 1000;
const PUBLISH_WAIT_MS = RELAY_WAIT_MS + 1000;

interface BusMessage {
  readonly type: typeof FORGET | typeof APPLY | typeof APPLIED | typeof DONE;
  readonly id: number;
  readonly keys?: readonly string[];
}

const waitingRelays = new Map<number, () => void>();
let nextRelayId = 0;

/** In the primary: relays `worker`'s invalidations to the other workers, and their confirmations back. */
export function relayCacheForgets(worker: Worker): void {
  worker.on('message', (message: BusMessage) => {
    if (message?.type === APPLIED) waitingRelays.get(message.id)?.();
    if (message?.type !== FORGET) return;
    const others = Object.values(cluster.workers ?? {}).filter((other): other is Worker => !!other && other !== worker && other.isConnected());
    void Promise.all(others.map((other) => applyIn(other, message.keys ?? []))).then(() => {
      if (worker.isConnected()) worker.send({ type: DONE, id: message.id } satisfies BusMessage);
    });
  });
}

function applyIn(worker: Worker, keys: readonly string[]): Promise<void> {
  const id = nextRelayId++;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      waitingRelays.delete(id);
      resolve();
    };
    const timer = setTimeout(done, RELAY_WAIT_MS);
    waitingRelays.set(id, done);
    worker.send({ type: APPLY, id, keys } satisfies BusMessage);
  });
}

/** In a worker: publishes this worker's invalidations through the primary, and applies the others'. */
export function workerForgetBus(): ForgetBus {
  const waiting = new Map<number, () => void>();
  let nextId = 0;
  let apply: (keys: readonly string[]) => Promise<void> = async () => {};
  process.on('message', (message: BusMessage) => {
    if (message?.type === DONE) waiting.get(message.id)?.();
    if (message?.type !== APPLY) return;
    const confirm = () => process.send?.({ type: APPLIED, id: message.id } satisfies BusMessage);
    apply(message.keys ?? []).then(confirm, confirm);
  });
  return {
    publish: (keys) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const settle = (error?: Error) => {
          clearTimeout(timer);
          waiting.delete(id);
          if (error) reject(error);
          else resolve();
        };
        const timer = setTimeout(() => settle(new Error('the primary did not confirm the invalidation')), PUBLISH_WAIT_MS);
        waiting.set(id, () => settle());
        process.send?.({ type: FORGET, id, keys } satisfies BusMessage);
      }),
    subscribe(forget) {
      apply = forget;
    },
  };
}
