import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';
import { capped, cappedError, cappedFields, escapeUnsafeCharacters } from './log-safety.js';

export type { Logger };

/**
 * JSON logs on stdout (or `destination`, for tests). Credentials are redacted
 * wherever they appear in a logged request; the gateway's own lines never
 * carry headers, variables or query text in the first place. What the client
 * does control (operation names, aliases) is capped, and characters that
 * would break or reorder a line are escaped (log-safety.ts).
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({
    level,
    base: { service: 'graphql-gateway', pid: process.pid },
    formatters: { log: cappedFields },
    serializers: { err: cappedError, msg: (message: string) => capped(message) },
    hooks: { streamWrite: escapeUnsafeCharacters },
    redact: {
      paths: [
        'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', '*.token',
        'req.headers["x-api-key"]', 'headers["x-api-key"]', 'headers["set-cookie"]', '*.headers.authorization', '*.headers.cookie',
        'token', 'password', '*.password', 'variables', '*.variables',
      ],
      censor: '[redacted]',
    },
  }, destination as DestinationStream);
}
