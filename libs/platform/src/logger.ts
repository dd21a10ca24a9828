// JSON logs through pino. Every line carries the request id (AsyncLocalStorage) and, when a
// span is active, the OpenTelemetry trace and span ids, so logs join traces.
import { trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';
import { currentContext } from './context';

export type { Logger };

export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const fields: Record<string, string> = {};
      const context = currentContext();
      if (context) Object.assign(fields, context);
      const span = trace.getActiveSpan()?.spanContext();
      if (span) {
        fields.traceId = span.traceId;
        fields.spanId = span.spanId;
      }
      return fields;
    },
  });
}
