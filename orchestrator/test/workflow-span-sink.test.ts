import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { SerializableSpan } from '@temporalio/interceptors-opentelemetry';
import type { WorkflowInfo } from '@temporalio/workflow';
import { toReadableSpan, workflowSpanSinks } from '../src/telemetry/workflow-span-sink';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const resource = resourceFromAttributes({ 'service.name': 'orchestrator-worker' });
const workflow = { workflowId: 'order-o1', runId: 'run-1', workflowType: 'orderSaga' };

/** A span as the workflow sandbox serialises it (OpenTelemetry SDK 1.x shape). */
function sandboxSpan(overrides: Partial<SerializableSpan> = {}): SerializableSpan {
  return {
    name: 'StartActivity:reserveStock',
    kind: SpanKind.INTERNAL,
    spanContext: { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: 1, traceState: 'vendor=x' },
    parentSpanId: 'b7ad6b7169203331',
    startTime: [1_700_000_000, 5],
    endTime: [1_700_000_001, 7],
    status: { code: SpanStatusCode.OK },
    attributes: { temporalActivityId: '3' },
    links: [],
    events: [],
    duration: [1, 2],
    ended: true,
    droppedAttributesCount: 0,
    droppedLinksCount: 0,
    droppedEventsCount: 0,
    instrumentationLibrary: { name: '@temporalio/interceptor-workflow', version: '1.24.0' },
    ...overrides,
  };
}

test('a sandbox span keeps its parent and scope in the SDK 2 shape exporters read', () => {
  const span = toReadableSpan(sandboxSpan(), workflow, resource);
  assert.equal(span.spanContext().spanId, '00f067aa0ba902b7');
  assert.equal(span.spanContext().traceState?.get('vendor'), 'x');
  assert.deepEqual(span.parentSpanContext, { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: 1 });
  assert.deepEqual(span.instrumentationScope, {
    name: '@temporalio/interceptor-workflow',
    version: '1.24.0',
  });
  assert.equal(span.resource, resource);
  assert.deepEqual(span.attributes, {
    temporalActivityId: '3',
    temporalWorkflowId: 'order-o1',
    run_id: 'run-1',
    temporalWorkflowType: 'orderSaga',
  });
  assert.deepEqual(
    [span.startTime, span.endTime],
    [
      [1_700_000_000, 5],
      [1_700_000_001, 7],
    ],
  );
});

test('a span without a parent stays a root; a missing scope gets the workflow one', () => {
  const span = toReadableSpan(
    sandboxSpan({ parentSpanId: undefined, instrumentationLibrary: undefined as never }),
    workflow,
    resource,
  );
  assert.equal(span.parentSpanContext, undefined);
  assert.equal(span.instrumentationScope.name, '@temporalio/interceptor-workflow');
});

test('the sink hands every span to the span processor, ready to export', async () => {
  const exporter = new InMemorySpanExporter();
  const sinks = workflowSpanSinks(new SimpleSpanProcessor({ exporter }), resource);
  await sinks.exporter.export.fn(workflow as WorkflowInfo, [
    sandboxSpan({ name: 'RunWorkflow:orderSaga', parentSpanId: 'aaaaaaaaaaaaaaaa' }),
    sandboxSpan(),
  ]);
  const exported = exporter.getFinishedSpans();
  assert.deepEqual(
    exported.map((s) => [s.name, s.parentSpanContext?.spanId]),
    [
      ['RunWorkflow:orderSaga', 'aaaaaaaaaaaaaaaa'],
      ['StartActivity:reserveStock', 'b7ad6b7169203331'],
    ],
  );
});
