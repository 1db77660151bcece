import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { ResponsePath } from '../errors/contract.js';
import { isUpstreamFailure } from '../errors/upstream-failure.js';
import type { Write } from '../services/define.js';
import { idempotencyKeyProblem } from '../writes/idempotency-key.js';
import type { Refusal } from '../writes/refusal.js';
import type { WriteAnswer, WriteRequest } from '../writes/send-write.js';
import { builder } from './builder.js';
import { childSelections, selectionOf } from './lookahead.js';

/**
 * What the mutations share: the UserError type, and the one way a mutation
 * sends its write. Input errors are data (`userErrors`, the data field
 * `null`); upstream failures are reported as a read's are, in
 * `extensions.errors` with the payload's data field as their path.
 */
export interface UserError {
  readonly code: string;
  readonly message: string;
  /** The path into the mutation's arguments, e.g. ["input", "quantity"]. */
  readonly field?: readonly string[];
}

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    field: t.exposeStringList('field', { nullable: true }),
  }),
});

export interface WriteFieldOptions {
  /** The payload field that carries the write's answer (`order`, `notifications`). */
  readonly dataField: string;
  /** Maps a field named by a refusal (a body field, or `idempotencyKey`) to its path in the arguments; unknown: none. */
  readonly argumentPath: (field: string) => readonly string[] | undefined;
}

export interface WriteFieldOutcome<A> {
  readonly data: A | null;
  readonly userErrors: readonly UserError[];
}

/** Sends `write` for the mutation being resolved and shapes the outcome for its payload. */
export async function writeField<W extends Write>(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  write: W,
  request: WriteRequest<W>,
  options: WriteFieldOptions,
): Promise<WriteFieldOutcome<WriteAnswer<W>>> {
  try {
    const result = await ctx.write(write, request);
    if ('refusal' in result) return { data: null, userErrors: [userError(result.refusal, options)] };
    return { data: result.value, userErrors: [] };
  } catch (error) {
    if (!isUpstreamFailure(error)) throw error;
    for (const path of dataFieldPaths(info, options.dataField)) ctx.failures.record(error, path);
    return { data: null, userErrors: [] };
  }
}

function userError(refusal: Refusal, { argumentPath }: WriteFieldOptions): UserError {
  const field = refusal.code === 'IDEMPOTENCY_KEY_REUSED' ? argumentPath('idempotencyKey') : refusal.field && argumentPath(refusal.field);
  return { code: refusal.code, message: refusal.message, ...(field ? { field } : {}) };
}

/** The response paths of the payload's data field: where a failure nulls it (under each alias the query gives it). */
function dataFieldPaths(info: GraphQLResolveInfo, field: string): ResponsePath[] {
  const payload = responsePathAsArray(info.path);
  const nodes = childSelections(selectionOf(info)).get(field)?.nodes ?? [];
  const keys = new Set(nodes.map((node) => node.alias?.value ?? field));
  return (keys.size > 0 ? [...keys] : [field]).map((key) => [...payload, key]);
}

/** A client's idempotency key is checked before any call; a bad one is a client input error. */
export function checkedIdempotencyKey(key: string, argumentName: string): string {
  const problem = idempotencyKeyProblem(key);
  if (problem) throw new GraphQLError(`Argument "${argumentName}": the key ${problem}.`, { extensions: { code: 'BAD_USER_INPUT' } });
  return key;
}
