// The workflow's trace propagation speaks the header of the SDK's client and activity
// interceptors, and reads the trace ids its log lines carry from it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { TRACE_HEADER as SDK_TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { TRACE_HEADER, traceIdsOf } from '../src/telemetry/workflow-trace-propagation';

test('the header is the one the SDK client injects and the activity interceptor extracts', () => {
  assert.equal(TRACE_HEADER, SDK_TRACE_HEADER);
});

test('log lines name the trace and the span the saga was started in', () => {
  const carrier = defaultPayloadConverter.toPayload({
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });
  assert.deepEqual(traceIdsOf(carrier), {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
  });
});

test('a missing or unreadable header names no trace', () => {
  assert.equal(traceIdsOf(undefined), undefined);
  assert.equal(traceIdsOf(defaultPayloadConverter.toPayload({ other: 'x' })), undefined);
  assert.equal(
    traceIdsOf({
      metadata: { encoding: new TextEncoder().encode('binary/plain') },
      data: new Uint8Array([1]),
    }),
    undefined,
  );
});
