import type { z } from 'zod';
import type { ServiceConfig } from '../config.js';
import { shapeProblem } from '../loaders/rows.js';
import type { Write, WriteInput } from '../services/define.js';
import type { ReadName } from '../services/index.js';
import { ShapeError, type CallOptions, type Route, type WritePolicy } from '../upstream/call.js';
import { pathSegment } from '../upstream/ids.js';
import type { ServiceClient } from '../upstream/service-client.js';
import { idempotencyKeyHash } from './idempotency-key.js';
import { readRefusal, type Refusal, type WriteResult } from './refusal.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- type-level access to a write's body and answer */
export type WriteBody<W> = W extends Write<infer Body, any> ? Body : never;
export type WriteAnswer<W> = W extends Write<any, infer Answer> ? Answer : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface WriteRequest<W extends Write> {
  readonly input: WriteInput<WriteBody<W>>;
  /** For a `key` write: the key to send (the same for every attempt and every repeat of the mutation). */
  readonly idempotencyKey?: string;
  /** The mutation, named in the message of a failure whose outcome is unknown. */
  readonly mutation: string;
}

export type Forget = (read: ReadName, keys: readonly string[]) => Promise<void>;

/**
 * Sends one write through its service's client and forgets what it changed
 * (the reads its declaration names) before resolving, so that every read
 * after it, in this request or a later one, sees it. Input that does not fit
 * the declared body is refused without a call. A failure is thrown as an
 * UpstreamFailure, as a read's is; its reads are forgotten then too, since
 * the write may have taken effect.
 */
export async function sendWrite<W extends Write>(
  client: ServiceClient,
  call: CallOptions,
  write: W,
  request: WriteRequest<W>,
  forget: Forget,
): Promise<WriteResult<WriteAnswer<W>>> {
  const checked = write.body.safeParse(request.input.body);
  if (!checked.success) return { refusal: invalidInput(checked.error) };
  const input: WriteInput = { ...request.input, body: checked.data };
  const forgetChanges = () => Promise.all(Object.entries(write.changes).map(([read, keysOf]) => forget(read as ReadName, keysOf(input))));
  const policy = writePolicy<WriteAnswer<W>>(client.config, write, request);
  let answer;
  try {
    answer = await client.write(writeRoute(write, input), call, (body) => ({ value: parseAnswer(write, input, body) as WriteAnswer<W> }), policy);
  } catch (error) {
    await forgetChanges();
    throw error;
  }
  // A refusal changed nothing.
  if (!answer.refused) await forgetChanges();
  return answer.value as WriteResult<WriteAnswer<W>>;
}

function writeRoute(write: Write, input: WriteInput): Route {
  return {
    template: `/${write.path}`,
    method: 'POST',
    json: input.body,
    path: input.key === undefined ? write.path : write.path.replace('{key}', pathSegment(input.key)),
    notFoundIsNull: false,
    keys: 1,
    batch: false,
  };
}

/** How the service client makes this write: whether it may repeat it, with which key, and what to tell a client that cannot know. */
function writePolicy<A>(service: ServiceConfig, write: Write, request: WriteRequest<Write>): WritePolicy<WriteResult<A>> {
  const header = write.idempotency === 'key' ? service.idempotencyHeader : undefined;
  const key = header ? request.idempotencyKey : undefined;
  const refusal = (status: number, body: unknown) => {
    const refused = readRefusal(service.name, status, body, key !== undefined);
    return refused && { refusal: refused };
  };
  const { mutation } = request;
  if (write.idempotency === 'natural') {
    return { repeatable: true, headers: {}, refusal, unknownOutcome: `the outcome is unknown: ${mutation} is safe to repeat` };
  }
  if (header === undefined || key === undefined) {
    const unknownOutcome = `the outcome is unknown, and ${service.name} takes no idempotency key: check before repeating ${mutation}`;
    return { repeatable: false, headers: {}, refusal, unknownOutcome };
  }
  return {
    repeatable: true,
    headers: { [header]: key },
    refusal,
    unknownOutcome: `the outcome is unknown: repeat ${mutation} with the same idempotencyKey to learn it`,
    idempotencyKeyHash: idempotencyKeyHash(key),
  };
}

function parseAnswer(write: Write, input: WriteInput, body: unknown): unknown {
  const parsed = write.answer.safeParse(body);
  if (!parsed.success) throw new ShapeError(`not the documented shape (${shapeProblem(parsed.error)})`);
  if (!write.belongs(parsed.data, input)) throw new ShapeError('an answer about other input');
  return parsed.data;
}

/** Input the gateway refuses itself, in the declared shape's words (e.g. "quantity must be at least 1"). */
function invalidInput(error: z.ZodError): Refusal {
  const issue = error.issues[0];
  const field = typeof issue?.path[0] === 'string' ? issue.path[0] : undefined;
  return { code: 'INVALID_INPUT', message: `${field ?? 'input'} ${issue?.message ?? 'is not valid'}`, ...(field ? { field } : {}) };
}
