// What the standard OTEL_* variables ask of this process, decided without side effects so the
// rules are unit-tested. One deliberate departure from the spec's default: with no exporter and
// no endpoint configured nothing is exported, so a developer without a collector sees no errors.
export type TraceExporterKind = 'otlp-http-protobuf' | 'otlp-http-json' | 'otlp-grpc' | 'console';

type Env = Record<string, string | undefined>;

const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

function otlpKind(env: Env): TraceExporterKind {
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? '').trim();
  switch (protocol) {
    case '':
    case 'http/protobuf':
      return 'otlp-http-protobuf';
    case 'http/json':
      return 'otlp-http-json';
    case 'grpc':
      return 'otlp-grpc';
    default:
      throw new Error(`unsupported OTLP protocol "${protocol}" (http/protobuf, http/json or grpc)`);
  }
}

/** The trace exporters to build; empty means spans are recorded (ids in logs) but never sent. */
export function traceExportersFromEnv(env: Env): TraceExporterKind[] {
  const names = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (names.includes('none')) return [];
  if (names.length === 0) {
    const endpoint = set(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) || set(env.OTEL_EXPORTER_OTLP_ENDPOINT);
    return endpoint ? [otlpKind(env)] : [];
  }
  const kinds = names.map((name): TraceExporterKind => {
    if (name === 'otlp') return otlpKind(env);
    if (name === 'console') return 'console';
    throw new Error(`unsupported OTEL_TRACES_EXPORTER "${name}" (otlp, console or none)`);
  });
  return [...new Set(kinds)];
}

export interface BatchOptions {
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
}

/** OTEL_BSP_*: the batch span processor leaves reading them to its caller. */
export function batchOptionsFromEnv(env: Env): BatchOptions {
  const read = (name: string): number | undefined => {
    const raw = env[name];
    if (!set(raw)) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`${name} must be a non-negative number, got "${raw}"`);
    return value;
  };
  const options: BatchOptions = {
    scheduledDelayMillis: read('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: read('OTEL_BSP_EXPORT_TIMEOUT'),
    maxQueueSize: read('OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/**
 * The service name when OTEL_SERVICE_NAME is not set, from the entry script, so a process
 * started as `node --import … services/payment/src/main.ts` (npm start, the image, the chart)
 * names itself without extra configuration. Names match each process's logger name.
 */
export function serviceNameForEntry(entry: string | undefined): string | undefined {
  if (!entry) return undefined;
  const normalised = entry.replaceAll('\\', '/');
  const service = /\/services\/([^/]+)\/src\/main\.[cm]?[jt]s$/.exec(normalised);
  if (service) return service[1];
  if (/\/orchestrator\/src\/worker\.[cm]?[jt]s$/.test(normalised)) return 'orchestrator-worker';
  return undefined;
}
