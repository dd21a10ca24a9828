// Workflow spans (RunWorkflow, StartActivity …) are recorded inside the workflow sandbox by
// @temporalio/interceptors-opentelemetry and leave it through a sink. That package (1.24) speaks
// OpenTelemetry SDK 1.x span shapes (`parentSpanId`, `instrumentationLibrary`), while this
// process runs SDK 2.x, whose exporters read `parentSpanContext` and `instrumentationScope`:
// handed over as they are, the spans would lose their parents and the exporter would throw. So
// this sink converts each span before passing it to the process's own span processors.
import { createTraceState, type SpanContext } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { InjectedSinks } from '@temporalio/worker';
import type { OpenTelemetrySinks, SerializableSpan } from '@temporalio/interceptors-opentelemetry';

const WORKFLOW_SCOPE = '@temporalio/interceptor-workflow';

/** One sandbox span as the SDK 2.x pipeline expects it. */
export function toReadableSpan(
  span: SerializableSpan,
  workflow: Pick<WorkflowInfo, 'workflowId' | 'runId' | 'workflowType'>,
  resource: Resource,
): ReadableSpan {
  const { traceState, ...ids } = span.spanContext;
  const spanContext: SpanContext = {
    ...ids,
    ...(traceState ? { traceState: createTraceState(traceState) } : {}),
  };
  // A sandbox span's parent is in the same trace: the sandbox only ever starts children of the
  // context the workflow was started with.
  const parentSpanContext: SpanContext | undefined = span.parentSpanId
    ? { traceId: ids.traceId, spanId: span.parentSpanId, traceFlags: ids.traceFlags }
    : undefined;
  const library = span.instrumentationLibrary as { name?: string; version?: string } | undefined;
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => spanContext,
    parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: {
      ...span.attributes,
      temporalWorkflowId: workflow.workflowId,
      run_id: workflow.runId,
      temporalWorkflowType: workflow.workflowType,
    },
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource,
    instrumentationScope: {
      name: library?.name ?? WORKFLOW_SCOPE,
      ...(library?.version ? { version: library.version } : {}),
    },
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** The `exporter` sink the workflow interceptors call; not called while a history replays. */
export function workflowSpanSinks(
  processor: SpanProcessor,
  resource: Resource,
): InjectedSinks<OpenTelemetrySinks> {
  return {
    exporter: {
      export: {
        fn: (info, spans) => {
          for (const span of spans) processor.onEnd(toReadableSpan(span, info, resource));
        },
      },
    },
  };
}
