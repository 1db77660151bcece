import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

// graphql-js appends these to validation messages ("Did you mean "email"?",
// "Did you mean to use an inline fragment on "User"?"); each names schema elements.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * With introspection off, the schema is not public; graphql-js's "Did you
 * mean ...?" hints would still let anyone reconstruct it one typo at a time
 * (OWASP GraphQL cheat sheet). This strips them from validation errors.
 */
export function useHiddenSuggestions(): Plugin {
  return {
    onValidate() {
      return ({ valid, result, setResult }) => {
        if (valid) return;
        setResult(result.map((error) => withoutSuggestion(error)));
      };
    },
  };
}

function withoutSuggestion(error: GraphQLError): GraphQLError {
  error.message = error.message.replace(SUGGESTION, '');
  return error;
}
