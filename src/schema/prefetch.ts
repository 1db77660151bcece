import type { ObjectRef } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';
import { selectedFieldNames } from './lookahead.js';

/**
 * Latency should equal the query's true dependency depth: a child field whose
 * key the gateway already holds must not wait for its parent's own upstream
 * call. A domain module declares such a child with `keyedChild` (the parent
 * is its Pothos ref, so a misspelt type cannot silently lose the lookahead)
 * and names the field from what `keyedChild` returns; whoever resolves the
 * parent from a key calls `startSelectedChildren`, which starts the loads of
 * the selected children at once. The child resolver later asks the same
 * per-request DataLoader and gets the same promise.
 */
type ChildLoad<T> = (ctx: GatewayContext, parentKey: string) => Promise<T>;

export interface KeyedChild<T> {
  /** The child's field name on the parent type: define the field with this, so the two cannot drift apart. */
  readonly field: string;
  readonly load: ChildLoad<T>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any object type of the schema
type AnyObjectRef = ObjectRef<any, any>;

const childrenByType = new Map<AnyObjectRef, Map<string, ChildLoad<unknown>>>();

export function keyedChild<T>(parent: AnyObjectRef, field: string, load: ChildLoad<T>): KeyedChild<T> {
  let children = childrenByType.get(parent);
  if (!children) childrenByType.set(parent, (children = new Map()));
  children.set(field, load);
  return { field, load };
}

/** `info` is the parent field's: its selection says which children are wanted. */
export function startSelectedChildren(parent: AnyObjectRef, ctx: GatewayContext, parentKey: string, info: GraphQLResolveInfo): void {
  const children = childrenByType.get(parent);
  if (!children) return;
  for (const field of selectedFieldNames(info)) {
    // The failure, if any, is reported by the child field that awaits the same promise.
    children.get(field)?.(ctx, parentKey).catch(ignore);
  }
}

/** Every declared child, by parent type name: tests check each is a real field that starts with its parent. */
export function declaredChildren(): Array<{ readonly parent: string; readonly field: string }> {
  return [...childrenByType].flatMap(([ref, children]) => [...children.keys()].map((field) => ({ parent: ref.name, field })));
}

function ignore(): void {}
