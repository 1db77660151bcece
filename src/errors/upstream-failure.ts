import type { ServiceName } from '../services/index.js';
import type { ResponsePath, UpstreamErrorCode, UpstreamErrorEntry } from './contract.js';

/**
 * One failed upstream call. A batch call that fails rejects every key it
 * carried with the same instance, which is how the collector reports one
 * entry per call with all the paths it nulled.
 *
 * The message is built from our own words only (service name, status, limit),
 * so it is safe to show to clients as it is.
 */
export class UpstreamFailure extends Error {
  override readonly name = 'UpstreamFailure';

  constructor(
    readonly service: ServiceName,
    readonly code: UpstreamErrorCode,
    message: string,
    readonly attempts: number,
    readonly httpStatus?: number,
  ) {
    super(message);
  }

  toEntry(paths: ReadonlyArray<ResponsePath>): UpstreamErrorEntry {
    return {
      service: this.service,
      code: this.code,
      message: this.message,
      paths,
      attempts: this.attempts,
      ...(this.httpStatus === undefined ? {} : { httpStatus: this.httpStatus }),
    };
  }
}

export function isUpstreamFailure(error: unknown): error is UpstreamFailure {
  return error instanceof UpstreamFailure;
}
