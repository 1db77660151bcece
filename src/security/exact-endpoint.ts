import type { Plugin } from 'graphql-yoga';

/**
 * GraphQL runs at exactly one path. Yoga also treats any URL that ends with
 * it as the endpoint (`/graphql/`, `//graphql`, `/x/graphql`, `/?a=/graphql`),
 * where the request log and metrics, keyed on the path, never saw the
 * operations. Every other path is a 404, before anything is parsed or called.
 * Plugins that answer their own paths (probes, metrics) come before this one.
 */
export function useExactEndpoint(endpoint: string): Plugin {
  return {
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== endpoint) endResponse(new fetchAPI.Response(null, { status: 404 }));
    },
  };
}
