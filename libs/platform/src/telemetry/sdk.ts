// The OpenTelemetry SDK of one process: resource, the instrumentations we use (http, express, pg,
// kafkajs and fetch; nothing else, the meta package would pull dozens), and the exporters the
// OTEL_* variables ask for. Started once per process, before the app's modules load (see
// instrument.ts); the worker asks for the running instance to export workflow spans through it.
import type { IncomingMessage } from 'node:http';
import type { Context } from '@opentelemetry/api';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
  type Resource,
} from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { batchOptionsFromEnv, traceExportersFromEnv, type TraceExporterKind } from './export-config';

export interface Telemetry {
  serviceName: string;
  resource: Resource;
  /** Whether spans leave the process (an exporter is configured). */
  exporting: boolean;
  /**
   * Takes spans recorded outside this process's tracer (the Temporal workflow sandbox records its
   * own) and exports them with the same processors as every other span.
   */
  spanProcessor: SpanProcessor;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

let running: Telemetry | undefined;

export const getTelemetry = (): Telemetry | undefined => running;

/**
 * Starts tracing for this process (idempotent: a second call returns the running instance).
 * OTEL_SERVICE_NAME wins over `serviceName`.
 */
export async function startTelemetry(
  serviceName: string,
  env: Record<string, string | undefined> = process.env,
): Promise<Telemetry> {
  if (running) return running;
  const name = env.OTEL_SERVICE_NAME?.trim() || serviceName;
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector, processDetector, hostDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: name }));

  const kinds = traceExportersFromEnv(env);
  const processors: SpanProcessor[] = [];
  for (const kind of kinds) {
    const exporter = await createExporter(kind);
    processors.push(
      kind === 'console'
        ? new SimpleSpanProcessor({ exporter })
        : new BatchSpanProcessor({ exporter, ...batchOptionsFromEnv(env) }),
    );
  }

  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    // A processor that drops everything still gives a recording tracer: trace ids reach the
    // logs and propagate to the next service even when nothing is exported.
    spanProcessors: processors.length > 0 ? processors : [new NoopSpanProcessor()],
    // Metrics stay with prom-client and logs with pino; without these the SDK would default
    // both to OTLP.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) =>
          PROBE_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
        // Outgoing calls outside any request or activity are the SDK's own plumbing.
        requireParentforOutgoingSpans: true,
      }),
      // Handler spans only: a span per middleware (json parser, request id …) and per router
      // passed through (every request crosses the health and fault routers) is noise.
      new ExpressInstrumentation({
        ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER],
      }),
      // Pool housekeeping and readiness probes would otherwise start a trace per query.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
      // Node's fetch: the activities' calls to the participant services.
      new UndiciInstrumentation({ requireParentforSpans: true }),
    ],
  });
  sdk.start();

  let stopped: Promise<void> | undefined;
  running = {
    serviceName: name,
    resource,
    exporting: processors.length > 0,
    spanProcessor: fanOut(processors),
    shutdown: () => (stopped ??= sdk.shutdown()),
  };
  return running;
}

async function createExporter(kind: TraceExporterKind): Promise<SpanExporter> {
  // Imported on demand: each exporter brings its own transport stack.
  switch (kind) {
    case 'otlp-http-protobuf':
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
    case 'otlp-http-json':
      return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
    case 'otlp-grpc':
      return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter();
    case 'console':
      return new ConsoleSpanExporter();
  }
}

function fanOut(processors: SpanProcessor[]): SpanProcessor {
  return {
    onStart: (span: Span, parent: Context) => processors.forEach((p) => p.onStart(span, parent)),
    onEnd: (span: ReadableSpan) => processors.forEach((p) => p.onEnd(span)),
    forceFlush: async () => {
      await Promise.all(processors.map((p) => p.forceFlush()));
    },
    // The SDK shuts the real processors down; this view of them has nothing of its own.
    shutdown: async () => undefined,
  };
}
