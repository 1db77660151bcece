import { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * A request whose parameters cannot be read is the client's fault: 400, not
 * 500. Yoga's GET parser calls JSON.parse on `variables` and `extensions`
 * unguarded, so `?variables=x` was an "Unexpected error" (found by the
 * fuzzer). Any non-GraphQL error thrown while reading the request's
 * parameters becomes a 400; Yoga's own refusals (413, 400) pass with their
 * message, status and code.
 */
export function useMalformedRequestRefusal(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          // Yoga's own refusals pass, minus `extensions.originalError`: for a bad JSON body it is the parser's
          // message, which quotes the body back. The client sent it, but a refusal has no business echoing content.
          if (error instanceof GraphQLError) {
            const extensions = error.extensions as Record<string, unknown>;
            if ('originalError' in extensions) {
              delete extensions['originalError'];
              // Yoga answered 400 rather than 200 because of that field; keep the 400 outright, as the limit refusals do.
              extensions['http'] = { ...(extensions['http'] as object), spec: false };
            }
            throw error;
          }
          throw createGraphQLError('Malformed request: its GraphQL parameters could not be read.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
      });
    },
  };
}
