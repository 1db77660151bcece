import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';

/** Deepest nesting of arrays and objects in a request's JSON; the gateway's own parameters need 4. */
export const MAX_JSON_DEPTH = 32;

/**
 * Reads JSON and form bodies with a nesting check before JSON.parse. 980 KB
 * of nested arrays in a variable cost ~250 ms of synchronous JSON.parse, a
 * stall for every other request; scanning the text for its depth costs
 * ~1 ms per MB and stops at the first level too deep. These parsers replace
 * Yoga's for the same content types (same results, same errors), so they
 * must come before the plugins that wrap the chosen parser (malformed
 * requests, body size).
 */
export function useJsonDepthLimit(maxDepth = MAX_JSON_DEPTH): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method !== 'POST') return;
      const contentType = request.headers.get('content-type')?.split(',')[0]?.split(';')[0]?.trim();
      if (contentType === 'application/json' || contentType === 'application/graphql+json') {
        setRequestParser(async (body) => parseJsonBody(await body.text(), maxDepth));
      } else if (contentType === 'application/x-www-form-urlencoded') {
        setRequestParser(async (body) => parseFormBody(await body.text(), maxDepth));
      }
    },
  };
}

function parseJsonBody(text: string, maxDepth: number): GraphQLParams | GraphQLParams[] {
  const body = parseJson(text, maxDepth, 'POST body sent invalid JSON.');
  if (body === null || typeof body !== 'object') {
    throw badRequest(`POST body is expected to be object but received ${body === null ? 'null' : typeof body}`);
  }
  return body as GraphQLParams | GraphQLParams[];
}

/** As Yoga reads a form: JSON in `variables` and `extensions`, plain text in the others. */
function parseFormBody(text: string, maxDepth: number): GraphQLParams {
  const form = new URLSearchParams(text);
  const json = (name: string) => {
    const value = form.get(name);
    return value ? (parseJson(value, maxDepth, `Form field "${name}" is not valid JSON.`) as Record<string, unknown>) : undefined;
  };
  return {
    query: form.get('query') || undefined,
    operationName: form.get('operationName') || undefined,
    variables: json('variables'),
    extensions: json('extensions'),
  } as GraphQLParams;
}

function parseJson(text: string, maxDepth: number, invalid: string): unknown {
  if (nestedDeeperThan(text, maxDepth)) throw badRequest(`JSON nested deeper than ${maxDepth} levels.`);
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(invalid);
  }
}

/** Counts brackets outside strings; stops at the first level past `maxDepth`. Broken JSON is JSON.parse's to report. */
export function nestedDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}

function badRequest(message: string) {
  return createGraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400, spec: false } } });
}
