import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('operations settings', () => {
  it('defaults: no tracing, no shutdown delay, 10 s drain, one process, 10,000 connections, 5 s for request heads, /metrics on PORT', () => {
    expect(loadConfig({}).operations).toEqual({
      otlpEndpoint: undefined,
      otelServiceName: 'graphql-gateway',
      shutdownDelayMs: 0,
      shutdownDrainMs: 10_000,
      workers: 1,
      maxConnections: 10_000,
      headersTimeoutMs: 5000,
      metricsPort: undefined,
    });
  });

  it('reads every variable', () => {
    const operations = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'edge-gateway',
      SHUTDOWN_DELAY_MS: '5000',
      SHUTDOWN_DRAIN_MS: '20000',
      WORKERS: '3',
      MAX_CONNECTIONS: '500',
      HEADERS_TIMEOUT_MS: '2000',
      METRICS_PORT: '9464',
    }).operations;
    expect(operations.otlpEndpoint?.href).toBe('http://collector:4318/');
    expect(operations).toMatchObject({
      otelServiceName: 'edge-gateway',
      shutdownDelayMs: 5000,
      shutdownDrainMs: 20_000,
      workers: 3,
      maxConnections: 500,
      headersTimeoutMs: 2000,
      metricsPort: 9464,
    });
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0' }).operations.metricsPort).toBe(0);
    expect(loadConfig({ WORKERS: 'auto' }).operations.workers).toBe(availableParallelism());
  });

  it.each([
    ['WORKERS', '0', /^WORKERS: expected a whole number from 1 to 256, got "0"$/],
    ['WORKERS', 'many', /^WORKERS: expected a whole number from 1 to 256 or "auto", got "many"$/],
    ['SHUTDOWN_DRAIN_MS', '-1', /^SHUTDOWN_DRAIN_MS: expected a whole number/],
    ['SHUTDOWN_DELAY_MS', '1.5', /^SHUTDOWN_DELAY_MS: expected a whole number/],
    ['MAX_CONNECTIONS', '0', /^MAX_CONNECTIONS: expected a whole number >= 1, got "0"$/],
    ['HEADERS_TIMEOUT_MS', '60000', /^HEADERS_TIMEOUT_MS: expected a whole number from 1 to 30000, got "60000"$/],
    ['METRICS_PORT', '70000', /^METRICS_PORT: expected a whole number from 0 to 65535, got "70000"$/],
    ['METRICS_PORT', '4000', /^METRICS_PORT: 4000 is PORT as well/],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318/x y', /^OTEL_EXPORTER_OTLP_ENDPOINT: /],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'grpc://collector:4317', /^OTEL_EXPORTER_OTLP_ENDPOINT: expected an http/],
  ])('%s=%s stops start-up with one line naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
