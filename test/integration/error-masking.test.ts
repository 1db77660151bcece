import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * An unexpected error (here: a broken call observer, as a buggy metrics or
 * tracing plugin would be) reaches the client as a generic message with the
 * request id; the detail goes to the log, under that id, and nowhere else.
 */

const SECRET = 'connect ECONNREFUSED 10.20.30.40:5432 (password=hunter2)';

const logLines: string[] = [];
let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startGateway({
    logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }),
    observers: [
      (start) => {
        if (start.service === 'orders') throw new Error(SECRET);
        return undefined;
      },
    ],
  });
});
afterAll(() => gateway.close());

describe('masking', () => {
  it('answers a generic message with the request id and logs the detail under it', async () => {
    const answer = await gateway.query('{ user(id: "1") { name orders { id } } }', undefined, { 'x-request-id': 'req-mask-1' });
    expect(answer.status).toBe(200);
    // The rest of the answer is still there.
    expect(answer.body.data.user).toEqual({ name: expect.any(String), orders: null });
    expect(answer.body.errors).toEqual([
      {
        message: 'Unexpected error (request id req-mask-1).',
        locations: [{ line: 1, column: 24 }],
        path: ['user', 'orders'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-mask-1' },
      },
    ]);
    const text = JSON.stringify(answer.body);
    for (const leak of ['hunter2', '10.20.30.40', 'ECONNREFUSED', 'stack', '.ts:']) expect(text).not.toContain(leak);

    const logged = logLines.map((line) => JSON.parse(line)).find((entry) => entry.requestId === 'req-mask-1');
    expect(logged?.err?.message).toBe(SECRET);
    expect(logged?.err?.stack).toContain('error-masking.test.ts');
    expect(logged?.path).toEqual(['user', 'orders']);
    // Once: Yoga's own line for the masked error (no request id) would double every alert on error lines.
    expect(logLines.filter((line) => line.includes('hunter2') && line.includes('"level":50'))).toHaveLength(1);
  });

  it('never echoes the original error, even with NODE_ENV=development', async () => {
    const before = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'development';
    try {
      const answer = await gateway.query('{ user(id: "2") { orders { id } } }');
      expect(JSON.stringify(answer.body)).not.toContain('hunter2');
      expect(answer.body.errors[0].message).toBe(`Unexpected error (request id ${answer.headers.get('x-request-id')}).`);
    } finally {
      if (before === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = before;
    }
  });
});
