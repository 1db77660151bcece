import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { ResponsePath } from '../errors/contract.js';
import { isUpstreamFailure } from '../errors/upstream-failure.js';
import { idProblem } from '../upstream/ids.js';

/**
 * Awaits an upstream-backed value. An upstream failure becomes `null` here and
 * an entry (with this field's path) in `extensions.errors`; anything else is a
 * gateway bug and goes on to the top-level `errors`, masked by Yoga. A value
 * the cache served instead of a failed call has this field's path listed in
 * `extensions.stale` instead.
 */
export async function nullOnFailure<T>(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  value: Promise<T>,
  path: ResponsePath = responsePathAsArray(info.path),
): Promise<T | null> {
  try {
    const result = await value;
    ctx.stale.recordIfStale(result, path);
    return result;
  } catch (error) {
    if (!isUpstreamFailure(error)) throw error;
    ctx.failures.record(error, path);
    return null;
  }
}

/** Client ids are checked before any upstream call; a bad one is a client input error. */
export function checkedId(id: string, argumentName: string): string {
  const problem = idProblem(id);
  if (problem) {
    throw new GraphQLError(`Argument "${argumentName}": the id ${problem}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return id;
}

export function checkedIds(ids: readonly string[], argumentName: string, max: number): string[] {
  if (ids.length > max) {
    throw new GraphQLError(`Argument "${argumentName}": at most ${max} ids per request, got ${ids.length}.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return ids.map((id) => checkedId(id, argumentName));
}
