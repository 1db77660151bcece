import type { ExecutionResult, GraphQLError } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, maskError, type Plugin, type YogaMaskedErrorOpts } from 'graphql-yoga';
import { requestIdOf } from '../context.js';
import type { Logger } from '../logger.js';

/**
 * An unexpected error (a bug, not an upstream failure or a refused request)
 * reaches the client as "Unexpected error" with the request id, so a person
 * can quote it; the error itself, with its stack and whatever internal detail
 * it carries, goes to the log under that request id and nowhere else.
 *
 * Yoga masks (`maskError`) where the request is not known, so the masked
 * errors are remembered here and completed when the result is sent.
 */
export interface ErrorMasking {
  readonly options: Partial<YogaMaskedErrorOpts>;
  readonly plugin: Plugin;
}

export function createErrorMasking(logger: Logger): ErrorMasking {
  const originals = new WeakMap<GraphQLError, unknown>();

  const options: Partial<YogaMaskedErrorOpts> = {
    // Never "development" mode: it would copy the original error (and its stack) into the answer.
    isDev: false,
    maskError(error, message) {
      const masked = maskError(error, message, false);
      if (masked !== error) originals.set(masked as GraphQLError, error);
      return masked;
    },
  };

  const complete = (request: Request, result: ExecutionResult): void => {
    const incremental = (result as { incremental?: ReadonlyArray<{ errors?: readonly GraphQLError[] }> }).incremental ?? [];
    for (const error of [...(result.errors ?? []), ...incremental.flatMap((part) => part.errors ?? [])]) {
      if (!originals.has(error)) continue;
      const requestId = requestIdOf(request);
      logger.error({ requestId, err: originals.get(error), path: error.path }, 'unexpected error (masked in the answer)');
      originals.delete(error);
      error.message = `Unexpected error (request id ${requestId}).`;
      (error.extensions as Record<string, unknown>)['requestId'] = requestId;
    }
  };

  const plugin: Plugin = {
    onResultProcess({ request, result, setResult }) {
      if (isAsyncIterable(result)) {
        setResult(mapAsyncIterator(result, (part) => (complete(request, part), part)));
      } else {
        for (const single of Array.isArray(result) ? result : [result]) complete(request, single);
      }
    },
  };
  return { options, plugin };
}
