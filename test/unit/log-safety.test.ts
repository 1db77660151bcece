import { describe, expect, it } from 'vitest';
import { MAX_LOGGED_CHARS } from '../../src/log-safety.js';
import { captureLogs } from '../helpers/logs.js';

/** The gateway's logger itself: whatever a line is given, every string in it is capped and the line stays one line. */
describe('log lines', () => {
  it('cap the message, top-level strings, strings in arrays, and an error message and stack', () => {
    const logs = captureLogs('info');
    const long = (character: string) => character.repeat(5_000);
    const error = new Error(long('e'));
    logs.logger.error({ err: error, alias: long('a'), path: [long('p'), 0], nested: { kept: 'as is' } }, long('m'));

    const [line] = logs.lines();
    const cut = (character: string) => `${character.repeat(MAX_LOGGED_CHARS)}…[${5_000 - MAX_LOGGED_CHARS} more]`;
    expect(line).toMatchObject({ msg: cut('m'), alias: cut('a'), path: [cut('p'), 0], nested: { kept: 'as is' } });
    expect((line!['err'] as { message: string }).message).toBe(cut('e'));
    expect(logs.raw[0]!.length).toBeLessThan(20_000);
  });

  it('escape separators and bidi controls wherever they are, keeping the value', () => {
    const logs = captureLogs('info');
    const text = 'a\u2028b\u2029c\u0085d\u202ee\u2067f\u200eg';
    logs.logger.info({ text, list: [text] }, text);
    expect(logs.raw[0]).not.toMatch(/[\u0085\u2028\u2029\u200e\u202e\u2067]/);
    expect(logs.lines()[0]).toMatchObject({ msg: text, text, list: [text] });
  });
});
