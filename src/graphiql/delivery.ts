import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

/**
 * A body held in memory in every form a browser may ask for, with its ETag:
 * a view picks a form and sends it, or answers 304. Nothing is rendered,
 * compressed or hashed per request; that is what lets anyone view GraphiQL
 * without costing the gateway more than a copy to the socket.
 */
export interface Representation {
  readonly contentType: string;
  readonly cacheControl: string;
  /** Strong validator of the identity form; each encoded form's tag adds `-br` / `-gzip`. */
  readonly tag: string;
  readonly bodies: { readonly [E in Encoding]: Uint8Array<ArrayBuffer> };
}

export type Encoding = 'br' | 'gzip' | 'identity';

/** Compresses a small body (the page itself, a few kB) at once; the large assets come compressed from the build. */
export function representationOf(body: string, contentType: string, cacheControl: string): Representation {
  const identity = Buffer.from(body);
  return {
    contentType,
    cacheControl,
    tag: createHash('sha256').update(identity).digest('base64url').slice(0, 27),
    bodies: {
      identity: plain(identity),
      gzip: plain(zlib.gzipSync(identity, { level: 9 })),
      br: plain(zlib.brotliCompressSync(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })),
    },
  };
}

/** A Response body wants a Uint8Array over a plain ArrayBuffer (Buffers may share a pooled one). */
export function plain(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** The answer to a GET for `representation`: its best form for this browser, or 304 when the browser has it. */
export function respondWith(representation: Representation, request: Request, fetchAPI: { Response: typeof Response }): Response {
  const encoding = preferredEncoding(request.headers.get('accept-encoding'));
  const headers: Record<string, string> = {
    'content-type': representation.contentType,
    etag: `"${representation.tag}${encoding === 'identity' ? '' : `-${encoding}`}"`,
    'cache-control': representation.cacheControl,
    vary: 'accept-encoding',
  };
  if (matchesEtag(request.headers.get('if-none-match'), headers['etag']!)) return new fetchAPI.Response(null, { status: 304, headers });
  const body = representation.bodies[encoding];
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  headers['content-length'] = String(body.byteLength);
  return new fetchAPI.Response(body, { status: 200, headers });
}

/** br over gzip over identity, honouring q-values (`q=0` refuses an encoding) and `*`. */
export function preferredEncoding(acceptEncoding: string | null): Encoding {
  const weights = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => weights.get(name) ?? weights.get('*') ?? 0;
  const candidates = (['br', 'gzip'] as const).filter((name) => weight(name) > 0);
  if (candidates.length === 0) return 'identity';
  return candidates.reduce((best, name) => (weight(name) > weight(best) ? name : best));
}

function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === etag;
  });
}
