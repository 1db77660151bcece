import type { Plugin } from 'graphql-yoga';

/** What the GraphQL endpoint answers in: Yoga's result processors (GraphiQL's HTML is served before this check). */
const PRODUCED = ['application/graphql-response+json', 'application/json', 'multipart/mixed', 'text/event-stream'];
const PRODUCED_HEADER = PRODUCED.map((type) => `${type}; charset=utf-8`).join(', ');

/** Longest Accept header read; real clients send well under 300 bytes. */
export const MAX_ACCEPT_BYTES = 1024;

/**
 * Refuses, before anything is parsed or executed, a request whose Accept
 * header is over MAX_ACCEPT_BYTES (400) or names no format the gateway can
 * answer in (406). Yoga decides the format only once the result exists, so a
 * 14 KB Accept of unknown types ran the query, then answered 406 with a
 * 521 KB `accept` header built from it. Any 406 now lists the formats in a
 * fixed header.
 */
export function useAcceptCheck(): Plugin {
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      const accept = request.headers.get('accept');
      if (accept === null) return;
      if (accept.length > MAX_ACCEPT_BYTES) {
        endResponse(refusal(fetchAPI, 400, 'BAD_REQUEST', `Accept header over ${MAX_ACCEPT_BYTES} bytes.`));
      } else if (!acceptsAnyProduced(accept)) {
        endResponse(refusal(fetchAPI, 406, 'NOT_ACCEPTABLE', `Accept names no format this endpoint answers in: ${PRODUCED.join(', ')}.`));
      }
    },
    onResponse({ response }) {
      if (response.status === 406) response.headers.set('accept', PRODUCED_HEADER);
    },
  };
}

/** As Yoga reads Accept: parameters other than a non-UTF-8 charset (q included) do not matter. */
function acceptsAnyProduced(accept: string): boolean {
  return accept.split(',').some((entry) => {
    const [range = '', ...parameters] = entry.replace(/\s/g, '').toLowerCase().split(';');
    if (parameters.some((parameter) => parameter.startsWith('charset=') && parameter !== 'charset=utf-8')) return false;
    const [type, subtype] = range.split('/');
    return PRODUCED.some((produced) => {
      const [producedType, producedSubtype] = produced.split('/');
      return (type === '*' || type === producedType) && (subtype === '*' || subtype === producedSubtype);
    });
  });
}

function refusal(fetchAPI: { Response: typeof Response }, status: number, code: string, message: string): Response {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  return new fetchAPI.Response(body, { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}
