/**
 * A wait queue that no client can take over. Items are filed under a path of
 * keys (say, a client's address, then its credentials); each level shares out
 * round-robin: the next item comes from the group after the one served last,
 * so a client with one waiter is served within one turn however many the
 * others queued. When the queue is full, a newcomer may take the place of the
 * newest item of the group holding the most places, if that group would still
 * hold more than the newcomer's: a lone client can use every place, and n
 * clients end up with about 1/n each.
 */
export class FairQueue<T> {
  private readonly root = new Group<T>();

  get size(): number {
    return this.root.size;
  }

  push(path: readonly string[], item: T): void {
    this.root.add(path, 0, item);
  }

  /** The next item in round-robin order, removed. */
  shift(): T | undefined {
    return this.root.size > 0 ? this.root.takeNext() : undefined;
  }

  /** Removes an item filed under `path`; false if it was not there (already taken). */
  remove(path: readonly string[], item: T): boolean {
    return this.root.remove(path, 0, item);
  }

  /** Takes out (and returns) the item that a newcomer filed under `path` may replace, if any. */
  evictFor(path: readonly string[]): T | undefined {
    return this.root.evictFor(path, 0);
  }
}

/** One level of the queue: the items of one path (a leaf), or groups by the next key, served round-robin. */
class Group<T> {
  size = 0;
  private readonly items: T[] = [];
  /** Map order is the round-robin order: a group that was just served moves to the back. */
  private readonly groups = new Map<string, Group<T>>();

  add(path: readonly string[], depth: number, item: T): void {
    this.size++;
    if (depth === path.length) return void this.items.push(item);
    const key = path[depth]!;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = new Group<T>()));
    group.add(path, depth + 1, item);
  }

  takeNext(): T {
    this.size--;
    if (this.items.length > 0) return this.items.shift()!;
    const [key, group] = this.groups.entries().next().value as [string, Group<T>];
    const item = group.takeNext();
    this.groups.delete(key);
    if (group.size > 0) this.groups.set(key, group);
    return item;
  }

  remove(path: readonly string[], depth: number, item: T): boolean {
    let removed: boolean;
    if (depth === path.length) {
      const index = this.items.indexOf(item);
      removed = index >= 0 && this.items.splice(index, 1).length === 1;
    } else {
      const key = path[depth]!;
      const group = this.groups.get(key);
      removed = group !== undefined && group.remove(path, depth + 1, item);
      if (group && group.size === 0) this.groups.delete(key);
    }
    if (removed) this.size--;
    return removed;
  }

  evictFor(path: readonly string[], depth: number): T | undefined {
    if (depth === path.length) return undefined; // a client never pushes out its own waiters
    const key = path[depth]!;
    const own = this.groups.get(key);
    const [largestKey, largest] = this.largest();
    let evicted: T | undefined;
    if (largest && largestKey !== key && largest.size > (own?.size ?? 0) + 1) evicted = largest.takeNewest();
    else if (own) evicted = own.evictFor(path, depth + 1);
    // The group it came from held at least two: it is never left empty.
    if (evicted !== undefined) this.size--;
    return evicted;
  }

  /** The newest item of the largest group, level by level. */
  private takeNewest(): T {
    this.size--;
    if (this.items.length > 0) return this.items.pop()!;
    const [key, largest] = this.largest() as [string, Group<T>];
    const item = largest.takeNewest();
    if (largest.size === 0) this.groups.delete(key);
    return item;
  }

  private largest(): [string, Group<T>] | [undefined, undefined] {
    let best: [string, Group<T>] | [undefined, undefined] = [undefined, undefined];
    for (const entry of this.groups) if (!best[1] || entry[1].size > best[1].size) best = entry;
    return best;
  }
}
