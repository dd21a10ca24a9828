// Runs inside the workflow sandbox (the worker's `interceptors.workflowModules`): carries the trace
// context a saga was started (or signalled, or updated) in onto every activity it schedules, so
// an order stays one trace from POST /v1/orders to each activity and the services it calls.
//
// Why not @temporalio/interceptors-opentelemetry's workflow interceptors: they record spans in
// the sandbox (RunWorkflow, StartActivity, HandleSignal …) and hand each to the main thread
// through a sink. Measured by the bench at saturation that is about 34 ms of worker CPU per saga
// (120 -> 86 ms, loadtest/BENCHMARKS.md, fourth round), for spans that add little: StartActivity
// is an instant at workflow time, and RunWorkflow ends, and is exported, only when the saga
// closes at the end of its 30-day refund window. The activities' own spans (RunActivity, from
// the activity interceptor) still show every step's real work, in the placement's trace.
// Commands are unchanged (headers are not part of replay), so no patch is needed: the replay
// test replays histories recorded under the SDK's interceptors without any interceptor.
import {
  AsyncLocalStorage,
  defaultPayloadConverter,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { Headers, Payload } from '@temporalio/common';

/** The header @temporalio/interceptors-opentelemetry's client and activity interceptors use. */
export const TRACE_HEADER = '_tracer-data';

/** W3C ids of a trace header (`{ traceparent: '00-<trace>-<span>-<flags>' }`), for log lines. */
export function traceIdsOf(carrier: Payload | undefined): { traceId: string; spanId: string } | undefined {
  if (!carrier) return undefined;
  try {
    const { traceparent } = defaultPayloadConverter.fromPayload<{ traceparent?: string }>(carrier);
    const [, traceId, spanId] = traceparent?.split('-') ?? [];
    return traceId && spanId ? { traceId, spanId } : undefined;
  } catch {
    return undefined; // a header we cannot read names no trace; the log line still goes out
  }
}

type WithHeaders = { headers: Headers };

export function interceptors(): WorkflowInterceptors {
  // One per workflow: the factory runs for each workflow the worker creates.
  const handling = new AsyncLocalStorage<Payload>();
  let started: Payload | undefined;
  /** A handler's own context while it runs (a signal or update has its sender's), else the start's. */
  const current = () => handling.getStore() ?? started;
  const carried = <I extends WithHeaders>(input: I): I => {
    const carrier = current();
    return carrier ? { ...input, headers: { ...input.headers, [TRACE_HEADER]: carrier } } : input;
  };
  const within = <T>(input: WithHeaders, run: () => T): T => {
    const carrier = input.headers[TRACE_HEADER];
    return carrier ? handling.run(carrier, run) : run();
  };

  const inbound: WorkflowInboundCallsInterceptor = {
    execute(input, next) {
      started = input.headers[TRACE_HEADER];
      return next(input);
    },
    handleSignal: (input, next) => within(input, () => next(input)),
    handleUpdate: (input, next) => within(input, () => next(input)),
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => next(carried(input)),
    scheduleLocalActivity: (input, next) => next(carried(input)),
    startChildWorkflowExecution: (input, next) => next(carried(input)),
    signalWorkflow: (input, next) => next(carried(input)),
    // A continued saga stays in the trace it was placed in.
    continueAsNew: (input, next) => next(carried(input)),
    getLogAttributes: (input, next) => next({ ...traceIdsOf(current()), ...input }),
  };
  return { inbound: [inbound], outbound: [outbound] };
}
