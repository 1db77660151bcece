import SchemaBuilder from '@pothos/core';
import type { GatewayContext } from '../context.js';

/** The Pothos builder: configuration only; the types live in one module per domain. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: { ID: { Input: string; Output: string } };
}>({});
