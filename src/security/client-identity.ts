import { createHash } from 'node:crypto';
import type { QueueKey } from '../upstream/slots.js';

/**
 * Who a request is, for the fair shares of each service's wait queue: first
 * its TCP peer address, which a client cannot choose, then the credentials it
 * forwards to that service, which it can (the gateway does not verify them),
 * so inventing a new token per request only splits that address's own share.
 * Behind a proxy every client has the proxy's address and the credentials
 * alone tell them apart. Credentials are kept only as a hash.
 */
export function clientQueueKey(serverContext: object, forwarded: readonly string[]): QueueKey {
  const address = (serverContext as { req?: { socket?: { remoteAddress?: string } } }).req?.socket?.remoteAddress ?? '';
  if (forwarded.every((value) => value === '')) return [address, ''];
  return [address, createHash('sha256').update(forwarded.join('\n')).digest('base64url')];
}
