import { describe, expect, it } from 'vitest';
import { FairQueue } from '../../src/upstream/fair-queue.js';
import { Slots, SlotTimeout } from '../../src/upstream/slots.js';

const drain = <T>(queue: FairQueue<T>) => Array.from({ length: queue.size }, () => queue.shift());

describe('FairQueue', () => {
  it('serves clients in turn, each client in its own order', () => {
    const queue = new FairQueue<string>();
    for (const item of ['a1', 'a2', 'a3', 'a4']) queue.push(['a'], item);
    queue.push(['b'], 'b1');
    queue.push(['b'], 'b2');
    queue.push(['c'], 'c1');
    expect(drain(queue)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
    expect(queue.shift()).toBeUndefined();
  });

  it('shares first between outer keys, then within one (an address, then its credentials)', () => {
    const queue = new FairQueue<string>();
    for (const item of ['x1', 'x2', 'x3']) queue.push(['10.0.0.1', 'token-x'], item);
    queue.push(['10.0.0.1', 'token-y'], 'y1');
    queue.push(['10.0.0.2', ''], 'z1');
    queue.push(['10.0.0.2', ''], 'z2');
    // 10.0.0.1 and 10.0.0.2 alternate; inside 10.0.0.1, token-x and token-y alternate.
    expect(drain(queue)).toEqual(['x1', 'z1', 'y1', 'z2', 'x2', 'x3']);
  });

  it('lets a newcomer take the newest place of the client holding the most, down to an even split', () => {
    const queue = new FairQueue<string>();
    for (const item of ['a1', 'a2', 'a3', 'a4']) queue.push(['a'], item);
    const evicted: Array<string | undefined> = [];
    for (const item of ['b1', 'b2', 'b3']) {
      const out = queue.evictFor(['b']);
      evicted.push(out);
      if (out !== undefined) queue.push(['b'], item);
    }
    expect(evicted).toEqual(['a4', 'a3', undefined]); // 2 + 2: b may not push a below its own share
    expect(queue.size).toBe(4);
    expect(queue.evictFor(['a'])).toBeUndefined(); // a client never pushes out its own waiters
    expect(drain(queue)).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('evicts inside the address that holds the most, from the credentials holding the most there', () => {
    const queue = new FairQueue<string>();
    queue.push(['10.0.0.1', 'x'], 'x1');
    queue.push(['10.0.0.1', 'x'], 'x2');
    queue.push(['10.0.0.1', 'y'], 'y1');
    queue.push(['10.0.0.1', 'y'], 'y2');
    queue.push(['10.0.0.1', 'y'], 'y3');
    expect(queue.evictFor(['10.0.0.9', ''])).toBe('y3');
    // Same address, new credentials: room is made among that address's own clients.
    expect(queue.evictFor(['10.0.0.1', 'z'])).toBe('x2');
    expect(queue.size).toBe(3);
  });

  it('removes an item wherever it is, and forgets a client with nothing left', () => {
    const queue = new FairQueue<string>();
    queue.push(['a'], 'a1');
    queue.push(['b'], 'b1');
    expect(queue.remove(['a'], 'a1')).toBe(true);
    expect(queue.remove(['a'], 'a1')).toBe(false);
    queue.push(['a'], 'a2');
    expect(drain(queue)).toEqual(['b1', 'a2']);
  });
});

describe('Slots shared by several clients', () => {
  it('a client that filled the queue is pushed back when another arrives, and the newcomer is served in its turn', async () => {
    const slots = new Slots(1, 4);
    const held = await slots.acquire(Date.now() + 10_000, undefined, ['attacker']);
    const order: string[] = [];
    const wait = (client: string, name: string) =>
      slots.acquire(Date.now() + 10_000, undefined, [client]).then(
        (release) => {
          order.push(name);
          release();
        },
        (error: unknown) => void order.push(`${name} refused${error instanceof SlotTimeout && error.queueFull ? ' (queue full)' : ''}`),
      );
    const waits = ['a1', 'a2', 'a3', 'a4'].map((name) => wait('attacker', name));
    waits.push(wait('victim', 'v1'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(order).toEqual(['a4 refused (queue full)']);
    held();
    await Promise.all(waits);
    expect(order).toEqual(['a4 refused (queue full)', 'a1', 'v1', 'a2', 'a3']);
  });
});
