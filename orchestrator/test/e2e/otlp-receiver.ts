// A tiny OTLP/HTTP trace receiver for tests: the apps export to it exactly as they would to a
// collector (OTEL_EXPORTER_OTLP_ENDPOINT, protocol http/json), and it keeps every span in memory.
// Plus the trace as a tree, to assert on its shape and print it.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP numbering: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  service: string;
  scope: string;
  startNanos: bigint;
  attributes: Record<string, unknown>;
}

export const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

interface OtlpKeyValue {
  key: string;
  value: Record<string, unknown>;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  attributes?: OtlpKeyValue[];
}
interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[];
  }[];
}

function attributes(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
}

/** Flattens one OTLP/JSON export request. */
export function spansOf(request: OtlpRequest): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const name = attributes(resourceSpans.resource?.attributes)['service.name'];
    const service = typeof name === 'string' ? name : 'unknown';
    return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans) =>
      (scopeSpans.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
        name: span.name,
        kind: span.kind ?? 0,
        service,
        scope: scopeSpans.scope?.name ?? '',
        startNanos: BigInt(String(span.startTimeUnixNano)),
        attributes: attributes(span.attributes),
      })),
    );
  });
}

export interface OtlpReceiver {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT; the exporters append /v1/traces. */
  endpoint: string;
  spans: ReceivedSpan[];
  trace(traceId: string): ReceivedSpan[];
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    body(request)
      .then((raw) => {
        if (request.method !== 'POST' || request.url !== '/v1/traces') {
          response.writeHead(404).end();
          return;
        }
        if (!String(request.headers['content-type']).includes('json')) {
          response.writeHead(415).end('this receiver reads OTLP/JSON only');
          return;
        }
        spans.push(...spansOf(JSON.parse(raw.toString('utf8')) as OtlpRequest));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      })
      .catch(() => response.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    trace: (traceId) => spans.filter((s) => s.traceId === traceId),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Spans whose parent is not among `spans` (one, the root, in a connected trace). */
export function orphans(spans: ReceivedSpan[]): ReceivedSpan[] {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
}

/** The trace as indented lines, children in start order: `name  [service]`. */
export function renderTree(spans: ReceivedSpan[]): string {
  const children = new Map<string, ReceivedSpan[]>();
  for (const span of spans) {
    const key = span.parentSpanId ?? '';
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  const byStart = (a: ReceivedSpan, b: ReceivedSpan) =>
    a.startNanos < b.startNanos ? -1 : a.startNanos > b.startNanos ? 1 : 0;
  const lines: string[] = [];
  const walk = (span: ReceivedSpan, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${span.name}  [${span.service}]`);
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) walk(child, depth + 1);
  };
  for (const root of orphans(spans).sort(byStart)) walk(root, 0);
  return lines.join('\n');
}
