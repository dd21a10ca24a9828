import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROOT_CONTEXT, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  batchOptionsFromEnv,
  serviceNameForEntry,
  traceExportersFromEnv,
} from '../src/telemetry/export-config';
import { contextFromKafkaHeaders, kafkaHeaderGetter } from '../src/tracing';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const traceparent = (spanId: string) => `00-${TRACE_ID}-${spanId}-01`;

test('nothing is exported unless an exporter or an OTLP endpoint is configured', () => {
  assert.deepEqual(traceExportersFromEnv({}), []);
  assert.deepEqual(traceExportersFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }), []);
  assert.deepEqual(traceExportersFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), [
    'otlp-http-protobuf',
  ]);
  assert.deepEqual(traceExportersFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }), [
    'otlp-http-protobuf',
  ]);
});

test('OTEL_TRACES_EXPORTER and the OTLP protocol pick the exporters; none wins', () => {
  assert.deepEqual(traceExportersFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' }), ['otlp-http-protobuf']);
  assert.deepEqual(
    traceExportersFromEnv({ OTEL_TRACES_EXPORTER: 'otlp, console', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ['otlp-grpc', 'console'],
  );
  assert.deepEqual(
    traceExportersFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    }),
    ['otlp-http-json'],
  );
  assert.deepEqual(
    traceExportersFromEnv({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    [],
  );
});

test('a misspelt exporter or protocol fails at start-up instead of silently tracing nothing', () => {
  assert.throws(
    () => traceExportersFromEnv({ OTEL_TRACES_EXPORTER: 'jaeger' }),
    /OTEL_TRACES_EXPORTER "jaeger"/,
  );
  assert.throws(
    () => traceExportersFromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http' }),
    /protocol "http"/,
  );
});

test('OTEL_BSP_* become batch processor options; unset ones are left to its defaults', () => {
  assert.deepEqual(batchOptionsFromEnv({}), {});
  assert.deepEqual(batchOptionsFromEnv({ OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_BSP_MAX_QUEUE_SIZE: '4096' }), {
    scheduledDelayMillis: 200,
    maxQueueSize: 4096,
  });
  assert.throws(() => batchOptionsFromEnv({ OTEL_BSP_EXPORT_TIMEOUT: 'soon' }), /OTEL_BSP_EXPORT_TIMEOUT/);
});

test('a process started from its entry script names itself', () => {
  assert.equal(serviceNameForEntry('/app/services/payment/src/main.ts'), 'payment');
  assert.equal(serviceNameForEntry('C:\\repo\\services\\order\\src\\main.ts'), 'order');
  assert.equal(serviceNameForEntry('/app/orchestrator/src/worker.ts'), 'orchestrator-worker');
  assert.equal(serviceNameForEntry('/app/tools/stack/src/cli.ts'), undefined);
  assert.equal(serviceNameForEntry(undefined), undefined);
});

test('the producer context comes from Kafka headers, else from the envelope, else none', () => {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  try {
    const fromHeader = contextFromKafkaHeaders(
      { traceparent: Buffer.from(traceparent('b7ad6b7169203331')) },
      traceparent('00f067aa0ba902b7'),
    );
    assert.equal(trace.getSpanContext(fromHeader)?.spanId, 'b7ad6b7169203331');
    assert.equal(trace.getSpanContext(fromHeader)?.isRemote, true);

    const fromEnvelope = contextFromKafkaHeaders({ 'event-id': 'o:1' }, traceparent('00f067aa0ba902b7'));
    assert.equal(trace.getSpanContext(fromEnvelope)?.spanId, '00f067aa0ba902b7');

    assert.equal(contextFromKafkaHeaders(undefined), ROOT_CONTEXT);
  } finally {
    propagation.disable();
  }
});

test('Kafka header values are read as text, arrays included', () => {
  const headers = { a: Buffer.from('one'), b: [Buffer.from('x'), 'y'], c: undefined };
  assert.deepEqual(kafkaHeaderGetter.keys(headers), ['a', 'b', 'c']);
  assert.equal(kafkaHeaderGetter.get(headers, 'a'), 'one');
  assert.deepEqual(kafkaHeaderGetter.get(headers, 'b'), ['x', 'y']);
  assert.equal(kafkaHeaderGetter.get(headers, 'c'), undefined);
});
