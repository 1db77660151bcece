/**
 * Reads an incremental (@defer/@stream) GraphQL response as it arrives over
 * HTTP, stamping each part with the time it was complete, so tests can check
 * what came first and when.
 */
export interface TimedPart {
  /** ms from the request being sent to this part being complete. */
  readonly atMs: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

export type IncrementalProtocol = 'multipart' | 'sse';

const ACCEPT: Record<IncrementalProtocol, string> = {
  multipart: 'multipart/mixed',
  sse: 'text/event-stream',
};

export async function postIncremental(
  url: string,
  protocol: IncrementalProtocol,
  body: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string; parts: TimedPart[] }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT[protocol], ...headers },
    body: JSON.stringify(body),
  });
  const parts: TimedPart[] = [];
  const split = protocol === 'multipart' ? multipartBodies : sseBodies;
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body!.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    buffer += decoder.decode(chunk.value, { stream: true });
    const { bodies, rest } = split(buffer);
    buffer = rest;
    for (const text of bodies) parts.push({ atMs: performance.now() - started, body: JSON.parse(text) });
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', parts };
}

/** multipart/mixed with boundary "-": `\r\n---\r\n<headers>\r\n\r\n<json>` ... `\r\n-----`. */
function multipartBodies(buffer: string): { bodies: string[]; rest: string } {
  const bodies: string[] = [];
  for (;;) {
    const open = buffer.indexOf('---\r\n');
    if (open < 0) break;
    const headersEnd = buffer.indexOf('\r\n\r\n', open);
    if (headersEnd < 0) break;
    const close = buffer.indexOf('\r\n---', headersEnd + 4);
    if (close < 0) break;
    bodies.push(buffer.slice(headersEnd + 4, close));
    buffer = buffer.slice(close + 2);
  }
  return { bodies, rest: buffer };
}

/** text/event-stream: events separated by a blank line; `event: next` carries `data: <json>`. */
function sseBodies(buffer: string): { bodies: string[]; rest: string } {
  const events = buffer.split('\n\n');
  const rest = events.pop() ?? '';
  const bodies = events.flatMap((event) => {
    const lines = event.split('\n');
    if (!lines.includes('event: next')) return [];
    return lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice('data: '.length));
  });
  return { bodies, rest };
}
