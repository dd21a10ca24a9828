// Trace context across carriers the instrumentations do not cover: the order event envelope and
// Kafka headers read inside a batch. Only @opentelemetry/api here: with no SDK started every
// call is a cheap no-op, so libraries and tests may use it freely.
import {
  ROOT_CONTEXT,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type TextMapGetter,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

/** Reads kafkajs headers, whose values arrive as Buffers (or arrays of them). */
export const kafkaHeaderGetter: TextMapGetter<IHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value = headers[key];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.map((v) => v.toString()) : value.toString();
  },
};

/**
 * The producer's context from a message's headers, else from a traceparent kept in its payload
 * (headers can be lost on the way, a copied or replayed message for one). ROOT_CONTEXT if neither.
 */
export function contextFromKafkaHeaders(
  headers: IHeaders | undefined,
  fallbackTraceparent?: string,
): Context {
  const fromHeaders = propagation.extract(ROOT_CONTEXT, headers ?? {}, kafkaHeaderGetter);
  if (trace.getSpanContext(fromHeaders) || !fallbackTraceparent) return fromHeaders;
  return contextOfTraceparent(fallbackTraceparent);
}

/** The W3C traceparent of the active span, or undefined outside any (or without an SDK). */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The context a stored traceparent continues; ROOT_CONTEXT (a new trace) without one. */
export function contextOfTraceparent(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/**
 * Runs `fn` in a new active span, recording a thrown error as the span's status; the span ends
 * when `fn` settles.
 */
export async function inSpan<T>(
  tracerName: string,
  name: string,
  options: SpanOptions & { parent?: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const { parent = context.active(), ...spanOptions } = options;
  return trace.getTracer(tracerName).startActiveSpan(name, spanOptions, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: err instanceof Error ? err.message : String(err),
      });
      throw err;
    } finally {
      span.end();
    }
  });
}
