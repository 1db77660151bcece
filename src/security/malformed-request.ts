import { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * A request whose parameters cannot be read is the client's fault: 400, not
 * 500. Yoga's GET parser calls JSON.parse on `variables` and `extensions`
 * unguarded, so `?variables=x` was an "Unexpected error" (found by the
 * fuzzer). Any non-GraphQL error thrown while reading the request's
 * parameters becomes a 400; Yoga's own refusals (413, 400) pass unchanged.
 */
export function useMalformedRequestRefusal(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (error instanceof GraphQLError) throw error;
          throw createGraphQLError('Malformed request: its GraphQL parameters could not be read.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
      });
    },
  };
}
