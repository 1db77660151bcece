import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** JSON logs on stdout. Credentials are redacted wherever they appear in a logged request. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'graphql-gateway' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', '*.token'],
      censor: '[redacted]',
    },
  });
}
