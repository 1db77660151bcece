import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as the gateway exported it (OTLP/HTTP JSON), attributes flattened. */
export interface CollectedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly events: ReadonlyArray<{ name: string; attributes: Readonly<Record<string, string | number | boolean>> }>;
  readonly status: { code?: number; message?: string };
  readonly serviceName: string | undefined;
  readonly startNs: bigint;
  readonly endNs: bigint;
}

export interface OtlpCollector {
  /** Base URL to give the gateway as OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  readonly spans: CollectedSpan[];
  /** Request paths and content types received. */
  readonly posts: Array<{ path: string; contentType: string | undefined }>;
  close(): Promise<void>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpAttribute = { key: string; value: OtlpValue };

/** A loopback OTLP/HTTP receiver: decodes the JSON encoding the gateway's exporter sends. */
export async function startOtlpCollector(): Promise<OtlpCollector> {
  const spans: CollectedSpan[] = [];
  const posts: OtlpCollector['posts'] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posts.push({ path: request.url ?? '', contentType: request.headers['content-type'] });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const resourceSpans of body.resourceSpans ?? []) {
        const resource = flatten(resourceSpans.resource?.attributes);
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            spans.push({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              name: span.name,
              kind: span.kind,
              attributes: flatten(span.attributes),
              events: (span.events ?? []).map((event: { name: string; attributes?: OtlpAttribute[] }) => ({
                name: event.name,
                attributes: flatten(event.attributes),
              })),
              status: span.status ?? {},
              serviceName: resource['service.name'] as string | undefined,
              startNs: BigInt(span.startTimeUnixNano),
              endNs: BigInt(span.endTimeUnixNano),
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    posts,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function flatten(attributes: OtlpAttribute[] | undefined): Record<string, string | number | boolean> {
  const flat: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes ?? []) {
    if (value.stringValue !== undefined) flat[key] = value.stringValue;
    else if (value.intValue !== undefined) flat[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) flat[key] = value.doubleValue;
    else if (value.boolValue !== undefined) flat[key] = value.boolValue;
  }
  return flat;
}

/** The spans of one trace as an indented tree, for people (and the final report). */
export function renderTree(spans: readonly CollectedSpan[]): string {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = (parent: string | undefined) =>
    spans.filter((span) => (parent === undefined ? !span.parentSpanId || !ids.has(span.parentSpanId) : span.parentSpanId === parent))
      .sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
  const lines: string[] = [];
  const walk = (span: CollectedSpan, depth: number) => {
    const ms = Number(span.endNs - span.startNs) / 1e6;
    const keep = Object.entries(span.attributes)
      .filter(([key]) => !key.startsWith('graphql.execute.document'))
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(' ');
    lines.push(`${'  '.repeat(depth)}${span.name} [${span.spanId}${depth === 0 && span.parentSpanId ? ` parent=${span.parentSpanId}` : ''}] ${ms.toFixed(1)} ms ${keep}`);
    for (const child of children(span.spanId)) walk(child, depth + 1);
  };
  for (const root of children(undefined)) walk(root, 0);
  return lines.join('\n');
}
