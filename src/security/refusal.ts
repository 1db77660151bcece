import { GraphQLError, type ASTNode } from 'graphql';

/** The limits an operation can break; `extensions.limit` of a refusal names one. */
export type LimitName = 'depth' | 'introspectionDepth' | 'aliases' | 'directives' | 'tokens' | 'cost' | 'rootFields' | 'listLength';

export const OPERATION_REFUSED = 'OPERATION_LIMIT_EXCEEDED';

/**
 * A request refused for its shape before any execution. HTTP 400 whatever
 * the Accept header (`spec: false`: GraphQL over HTTP would answer an
 * `application/json` validation failure with 200), so that proxies, logs and
 * clients see a refusal as what it is.
 */
export function operationRefused(limit: LimitName, message: string, nodes?: ASTNode | readonly ASTNode[]): GraphQLError {
  return new GraphQLError(message, {
    ...(nodes ? { nodes } : {}),
    extensions: { code: OPERATION_REFUSED, limit, http: { status: 400, spec: false } },
  });
}
