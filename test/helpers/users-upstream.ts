import { createHash } from 'node:crypto';
import type http from 'node:http';
import { sendJson, startUpstream } from './upstream.js';

/**
 * A users service a cache test controls: which `Cache-Control` it sends, how
 * it fails, and whether it holds its answers until the test lets them go.
 * Every id made of digits is a user; any other id is unknown (404, or left
 * out of a batch). A row's name says which version of the data it is and
 * which `authorization` asked for it (a fingerprint), so a test sees whose
 * row it was served.
 */
export interface UsersUpstream {
  readonly url: URL;
  /** Every request: its path and the authorization it carried. */
  readonly calls: Array<{ readonly path: string; readonly authorization: string | undefined }>;
  cacheControl: string | undefined;
  /** Part of every name: change it to tell a fresh answer from a kept one. */
  version: string;
  /** `hang`: never answers; `reset`: drops the connection; `garbage`: a body that is not JSON. */
  mode: 'ok' | 'fail' | 'hang' | 'reset' | 'garbage';
  /** While true, answers wait until `release()`. */
  holding: boolean;
  release(): void;
  /** Answers the oldest request held; the others stay held. */
  releaseOne(): void;
  /** Requests that arrived and have not been answered yet. */
  readonly waiting: number;
  close(): Promise<void>;
}

/** The name of a user row: its version, its id, and a fingerprint of who asked (never the credentials themselves). */
export function nameOf(version: string, id: string, authorization: string | undefined): string {
  return authorization ? `${version} ${id} for ${createHash('sha256').update(authorization).digest('hex').slice(0, 8)}` : `${version} ${id}`;
}

export async function startUsersUpstream(): Promise<UsersUpstream> {
  const held: Array<() => void> = [];
  let url = new URL('http://127.0.0.1/');
  let close = async () => {};
  const state: UsersUpstream = {
    get url() {
      return url;
    },
    calls: [],
    cacheControl: 'max-age=60',
    version: 'v1',
    mode: 'ok',
    holding: false,
    release() {
      state.holding = false;
      for (const go of held.splice(0)) go();
    },
    releaseOne() {
      held.shift()?.();
    },
    get waiting() {
      return held.length;
    },
    close: () => close(),
  };
  const answer = (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (state.mode === 'hang') return;
    if (state.mode === 'reset') return request.socket.destroy();
    if (state.mode === 'fail') return sendJson(response, 503, { error: 'down' });
    if (state.mode === 'garbage') return response.writeHead(200, { 'content-type': 'application/json' }).end('<html>');
    const url = new URL(request.url ?? '/', 'http://upstream');
    const authorization = request.headers.authorization;
    const row = (id: string) => ({ id, name: nameOf(state.version, id, authorization), email: `${id}@example.com` });
    const known = (id: string) => /^\d+$/.test(id);
    if (state.cacheControl !== undefined) response.setHeader('cache-control', state.cacheControl);
    const ids = url.searchParams.get('ids');
    if (ids !== null) return sendJson(response, 200, ids.split(',').filter(known).map(row));
    const id = decodeURIComponent(url.pathname.split('/')[2] ?? '');
    if (known(id)) sendJson(response, 200, row(id));
    else sendJson(response, 404, { error: 'no such user' });
  };
  const upstream = await startUpstream((request, response) => {
    state.calls.push({ path: request.url ?? '', authorization: request.headers.authorization });
    if (!state.holding) return answer(request, response);
    held.push(() => answer(request, response));
  });
  url = upstream.url;
  close = upstream.close;
  return state;
}
