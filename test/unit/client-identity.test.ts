import { expect, it } from 'vitest';
import { clientQueueKey } from '../../src/security/client-identity.js';

const from = (remoteAddress: string) => ({ req: { socket: { remoteAddress } } });

it('a client is its address, then the credentials it forwards, kept only as a hash', () => {
  expect(clientQueueKey(from('10.0.0.7'), [])).toEqual(['10.0.0.7', '']);
  expect(clientQueueKey(from('10.0.0.7'), ['', ''])).toEqual(['10.0.0.7', '']);
  const [address, credentials] = clientQueueKey(from('10.0.0.7'), ['Bearer sk-live-SECRET', '']);
  expect(address).toBe('10.0.0.7');
  expect(credentials).not.toContain('SECRET');
  expect(credentials).toMatch(/^[\w-]{43}$/);
  expect(clientQueueKey(from('10.0.0.8'), ['Bearer sk-live-SECRET', ''])[1]).toBe(credentials);
  expect(clientQueueKey(from('10.0.0.7'), ['Bearer other', ''])[1]).not.toBe(credentials);
});

it('without a socket (a request handed to the gateway in-process) every client shares one address', () => {
  expect(clientQueueKey({}, [])).toEqual(['', '']);
});
