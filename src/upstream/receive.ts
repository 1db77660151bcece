import type { IncomingHttpHeaders } from 'node:http';
import type { Got, OptionsInit } from 'got';

/** An upstream's answer, read in full. */
export interface Received {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** The body went over the attempt's limit: the request was torn down before more of it was read. */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

/**
 * One request through got's stream API, its body collected here. got's
 * promise API adds a cancelable promise, a proxy for every event and its own
 * copy of the body on top of the same request; on this path that was about a
 * fifth of got's cost per call (scripts/bench/http-clients.ts). Everything
 * that matters to an attempt is got's in both: timeouts, the abort signal,
 * decompression, strict Content-Length and the errors it raises.
 */
export function receive(got: Got, target: string, options: OptionsInit, maxResponseBytes: number, onSocket: (reused: boolean) => void): Promise<Received> {
  return new Promise((resolve, reject) => {
    const stream = got.stream(target, options as OptionsInit & { isStream?: true });
    const chunks: Buffer[] = [];
    let answer: { statusCode: number; headers: IncomingHttpHeaders } | undefined;
    stream.on('request', (request: { reusedSocket: boolean }) => onSocket(request.reusedSocket));
    stream.once('response', (response: { statusCode: number; headers: IncomingHttpHeaders }) => (answer = response));
    // Checked as the body streams in (and against Content-Length up front), so a huge body is never buffered.
    stream.on('downloadProgress', ({ transferred, total }: { transferred: number; total?: number }) => {
      if (transferred > maxResponseBytes || (total !== undefined && total > maxResponseBytes)) {
        stream.destroy();
        reject(new BodyTooLarge());
      }
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve({ statusCode: answer!.statusCode, headers: answer!.headers, body: Buffer.concat(chunks).toString() }));
    stream.once('error', reject);
  });
}
