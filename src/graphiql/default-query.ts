import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';

/**
 * An operator's own first GraphiQL tab (GRAPHIQL_DEFAULT_QUERY), read and
 * parsed once at start-up: a wrong path or a typo stops start-up instead of
 * greeting every visitor with a syntax error. Throws a one-line reason.
 */
export function loadDefaultQuery(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let definitions;
  try {
    ({ definitions } = parse(text));
  } catch (error) {
    throw new Error(`the document does not parse: ${(error as Error).message.split('\n')[0]}`);
  }
  // A schema file given by mistake parses too; GraphiQL could not run it.
  if (!definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION)) {
    throw new Error('the document holds no operation (query, mutation or subscription)');
  }
  return text;
}
