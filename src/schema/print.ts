import { printSchema, type GraphQLSchema } from 'graphql';

export const SCHEMA_FILE = 'schema/schema.graphql';

const HEADER = '# Generated from the code by `npm run schema`. Do not edit: a test fails when this file is stale.\n\n';

/** The text of schema/schema.graphql for a schema. */
export function schemaFileText(schema: GraphQLSchema): string {
  return `${HEADER}${printSchema(schema)}\n`;
}
