import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Bodies over `limit` bytes get 413 without being read whole. Yoga's own limit
 * (`maxRequestBodySize`) pipes every body through a counting stream, which
 * showed in CPU profiles under load (a stream pipeline and an AbortController
 * per request). A valid Content-Length already bounds the body, since Node's
 * HTTP parser delivers no byte past it; only a body without one (chunked) is
 * counted as it streams in, as Yoga does.
 */
export function useRequestBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength !== null) {
        if (!/^\d+$/.test(contentLength)) throw refusal(400, 'BAD_REQUEST', 'Content-Length header is invalid.');
        if (Number(contentLength) > limit) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => parse(countingBody(req, limit, fetchAPI)));
    },
  };
}

function countingBody(request: Request, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  // A native stream needs the native TransformStream (graphql-yoga issue 4583), a ponyfilled one the ponyfill.
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let bytes = 0;
  const body = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > limit) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body,
    // @ts-expect-error Node's fetch needs it for a streamed body; the DOM types do not know it
    duplex: 'half',
  });
}

function tooLarge() {
  return refusal(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request body too large');
}

function refusal(status: number, code: string, message: string) {
  return new GraphQLError(message, { extensions: { http: { status }, code } });
}
