import type { ResponsePath } from './contract.js';

/**
 * Which response part delivers a nulled path. An incremental (@defer/@stream)
 * response is sent in parts; an upstream failure must be reported in the
 * part that carries the `null` it caused, whenever the failure happened (a
 * deferred field may fail before the initial part has gone out).
 */
type Part = {
  readonly data?: unknown;
  readonly hasNext?: boolean;
  readonly incremental?: ReadonlyArray<{ readonly path: ResponsePath; readonly data?: unknown; readonly items?: readonly unknown[] }>;
};

/** The last part (or the only one): whatever is still unreported goes there. */
export function isFinalPart(part: object): boolean {
  return (part as Part).hasNext !== true;
}

/** A predicate telling whether `part` holds the value at a response path (a `null` counts). */
export function deliveredBy(part: object): (path: ResponsePath) => boolean {
  const { data, incremental = [] } = part as Part;
  return (path) => (data !== undefined && holds(data, path)) || incremental.some((increment) => incrementHolds(increment, path));
}

function incrementHolds(increment: NonNullable<Part['incremental']>[number], path: ResponsePath): boolean {
  if (increment.items) {
    // @stream: `path` ends with the list index of the first item sent.
    const listPath = increment.path.slice(0, -1);
    const first = increment.path.at(-1);
    const index = path[listPath.length];
    if (!startsWith(path, listPath) || typeof first !== 'number' || typeof index !== 'number') return false;
    return holds(increment.items, [index - first, ...path.slice(listPath.length + 1)]);
  }
  return startsWith(path, increment.path) && holds(increment.data, path.slice(increment.path.length));
}

function holds(value: unknown, path: ResponsePath): boolean {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  return true;
}

function startsWith(path: ResponsePath, prefix: ResponsePath): boolean {
  return prefix.length <= path.length && prefix.every((key, index) => path[index] === key);
}
