/**
 * The writes of this process still being sent, with what they changed still
 * being forgotten. A write already sent runs to its outcome even when its
 * client has left (docs/writes.md); shutdown waits for these before closing
 * the upstream sockets and the cache store, or it would cut the write and
 * lose its invalidation.
 */
export class WritesInFlight {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(write: Promise<T>): Promise<T> {
    this.pending.add(write);
    const done = () => this.pending.delete(write);
    write.then(done, done);
    return write;
  }

  /** Resolves once every write tracked so far has ended, however it ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
