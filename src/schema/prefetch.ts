import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';
import { selectedFieldNames } from './lookahead.js';

/**
 * Latency should equal the query's true dependency depth: a child field whose
 * key the gateway already holds must not wait for its parent's own upstream
 * call. A domain module declares such a child with `keyedChild`; whoever
 * resolves the parent from a key calls `startSelectedChildren`, which starts
 * the loads of the selected children at once. The child resolver later asks
 * the same per-request DataLoader and gets the same promise.
 */
type ChildLoad<T> = (ctx: GatewayContext, parentKey: string) => Promise<T>;

const childrenByType = new Map<string, Map<string, ChildLoad<unknown>>>();

export function keyedChild<T>(typeName: string, fieldName: string, load: ChildLoad<T>): ChildLoad<T> {
  let children = childrenByType.get(typeName);
  if (!children) childrenByType.set(typeName, (children = new Map()));
  children.set(fieldName, load);
  return load;
}

/** `info` is the parent field's: its selection says which children are wanted. */
export function startSelectedChildren(typeName: string, ctx: GatewayContext, parentKey: string, info: GraphQLResolveInfo): void {
  const children = childrenByType.get(typeName);
  if (!children) return;
  for (const field of selectedFieldNames(info)) {
    // The failure, if any, is reported by the child field that awaits the same promise.
    children.get(field)?.(ctx, parentKey).catch(ignore);
  }
}

function ignore(): void {}
