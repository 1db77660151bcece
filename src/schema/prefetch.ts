import type { ObjectRef } from '@pothos/core';
import type { GatewayContext } from '../context.js';
import { childSelections, type Selection } from './lookahead.js';

/**
 * Latency should equal the query's true dependency depth: a child field must
 * not wait for its parent when the data it needs is already there. Two kinds
 * of children are declared here by the domain modules:
 *
 * - a keyed child needs only its parent's key (a user's orders need the user
 *   id): it starts when the parent's own load starts (`startSelectedChildren`);
 * - a row child needs a field of a row (an order's product needs the order's
 *   productId): it starts as soon as a keyed child's rows arrive, even before
 *   the parent those rows hang from has answered.
 *
 * Parents are Pothos refs, so a misspelt type cannot silently lose the
 * lookahead, and each field is defined with the name its declaration returns.
 * The child resolver later asks the same per-request DataLoader and gets the
 * same promise; what the query did not select is never started.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any object type of the schema
type AnyObjectRef = ObjectRef<any, any>;

export interface KeyedChild<T> {
  /** The field name on the parent type: define the field with this, so the two cannot drift apart. */
  readonly field: string;
  load(ctx: GatewayContext, parentKey: string): Promise<T>;
}

export interface RowChild<Row, T> {
  readonly field: string;
  load(ctx: GatewayContext, row: Row, selection: Selection): Promise<T>;
}

interface KeyedDeclaration {
  readonly child: KeyedChild<unknown>;
  /** The type of the child's rows, whose row children start as soon as the rows arrive. */
  readonly rowType: AnyObjectRef | undefined;
}

const keyedByParent = new Map<AnyObjectRef, Map<string, KeyedDeclaration>>();
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of any type
const rowByParent = new Map<AnyObjectRef, Map<string, RowChild<any, unknown>>>();

export function keyedChild<T>(
  parent: AnyObjectRef,
  field: string,
  load: KeyedChild<T>['load'],
  rowType?: AnyObjectRef,
): KeyedChild<T> {
  const child = { field, load };
  declare(keyedByParent, parent, field, { child, rowType });
  return child;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema's types, whatever they are
export function rowChild<Row, T>(parent: ObjectRef<any, Row>, field: string, load: RowChild<Row, T>['load']): RowChild<Row, T> {
  const child = { field, load };
  declare(rowByParent, parent, field, child);
  return child;
}

/** Starts the selected keyed children of a parent being loaded by `parentKey` (`selection` is the parent field's). */
export function startSelectedChildren(parent: AnyObjectRef, ctx: GatewayContext, parentKey: string, selection: Selection): void {
  const declared = keyedByParent.get(parent);
  if (!declared) return;
  for (const [name, under] of childSelections(selection)) {
    const found = declared.get(name);
    if (!found) continue;
    const pending = found.child.load(ctx, parentKey);
    // A failure, if any, is reported by the child field that awaits the same promise.
    const rowType = found.rowType;
    (rowType ? pending.then((value) => startRowChildren(rowType, ctx, rowsOf(value), under)) : pending).catch(ignore);
  }
}

function startRowChildren(type: AnyObjectRef, ctx: GatewayContext, rows: readonly unknown[], selection: Selection): void {
  const declared = rowByParent.get(type);
  if (!declared) return;
  for (const [name, under] of childSelections(selection)) {
    const child = declared.get(name);
    if (child) for (const row of rows) child.load(ctx, row, under).catch(ignore);
  }
}

function rowsOf(value: unknown): readonly unknown[] {
  return value == null ? [] : Array.isArray(value) ? value : [value];
}

function declare<V>(registry: Map<AnyObjectRef, Map<string, V>>, parent: AnyObjectRef, field: string, value: V): void {
  let byField = registry.get(parent);
  if (!byField) registry.set(parent, (byField = new Map()));
  byField.set(field, value);
}

export interface DeclaredChild {
  readonly kind: 'keyed' | 'row';
  readonly parent: string;
  readonly field: string;
  /** For a keyed child with rows: the type of its rows. */
  readonly rowType?: string;
}

/** Every declared child: tests check each is a real field that starts as early as declared. */
export function declaredChildren(): DeclaredChild[] {
  const keyed = [...keyedByParent].flatMap(([ref, byField]) =>
    [...byField].map(([field, { rowType }]) => ({ kind: 'keyed' as const, parent: ref.name, field, ...(rowType ? { rowType: rowType.name } : {}) })),
  );
  const row = [...rowByParent].flatMap(([ref, byField]) => [...byField.keys()].map((field) => ({ kind: 'row' as const, parent: ref.name, field })));
  return [...keyed, ...row];
}

function ignore(): void {}
