import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('UPSTREAM_TRACE', () => {
  it('defaults to header, and to off when NODE_ENV=production', () => {
    expect(loadConfig({}).upstreamTrace).toBe('header');
    expect(loadConfig({ NODE_ENV: 'development' }).upstreamTrace).toBe('header');
    expect(loadConfig({ NODE_ENV: 'production' }).upstreamTrace).toBe('off');
  });

  it('takes off, header or always, whatever NODE_ENV says', () => {
    expect(loadConfig({ UPSTREAM_TRACE: 'always', NODE_ENV: 'production' }).upstreamTrace).toBe('always');
    expect(loadConfig({ UPSTREAM_TRACE: ' OFF ' }).upstreamTrace).toBe('off');
  });

  it('stops start-up with one line naming the variable on anything else', () => {
    expect(() => loadConfig({ UPSTREAM_TRACE: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ UPSTREAM_TRACE: 'yes' })).toThrow('UPSTREAM_TRACE: expected one of off, header, always, got "yes"');
  });
});
