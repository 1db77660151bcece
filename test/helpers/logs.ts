import { createLogger, type Logger } from '../../src/logger.js';
import type { LogLevel } from '../../src/config.js';

/** A real gateway logger (same redaction) whose JSON lines land in memory. */
export interface CapturedLogs {
  readonly logger: Logger;
  readonly raw: string[];
  /** Parsed lines, optionally only those with this message. */
  lines(msg?: string): Array<Record<string, unknown>>;
}

export function captureLogs(level: LogLevel = 'debug'): CapturedLogs {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void raw.push(line) });
  return {
    logger,
    raw,
    lines: (msg) =>
      raw
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => msg === undefined || line['msg'] === msg),
  };
}
