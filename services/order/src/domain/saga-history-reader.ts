// Reads an order saga's Temporal history as the support console's timeline: each activity the
// saga scheduled (forward steps, compensations, refunds, bookkeeping) with its times and outcome,
// each domain event it published, and each support request it received. Pure: it only decodes
// history events, so it is tested on recorded histories without a server.
import { defaultPayloadConverter } from '@temporalio/client';
import { localActivityAttempt, type LocalActivityAttempt } from '@orders/orchestrator/history';
import type { WorkflowHandle } from '@temporalio/client';
import type { TimelineActivity, TimelineEvent, TimelineSupportAction } from '../routes/console-schemas';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
export type HistoryEvent = NonNullable<History['events']>[number];
type Payloads = { payloads?: Parameters<typeof defaultPayloadConverter.fromPayload>[0][] | null };
type Timestamp = { seconds?: { toNumber(): number } | number | null; nanos?: number | null };

/** What a pending activity looks like in DescribeWorkflowExecution (only for an open run). */
export interface PendingActivity {
  activityId: string;
  attempt: number;
  /** 1 scheduled, 2 started, 3 cancel requested. */
  state: number;
  lastFailure: string | null;
  lastStartedAt: string | null;
}

export interface SagaHistoryFacts {
  activities: TimelineActivity[];
  events: TimelineEvent[];
  supportActions: TimelineSupportAction[];
  startedAt: string | null;
  /** Run id this run continued from (continue-as-new), to read the run before it. */
  continuedFrom: string | null;
}

type Step = TimelineActivity['step'];
const STEP_OF: Record<string, { kind: TimelineActivity['kind']; step: Step }> = {
  validateOrder: { kind: 'step', step: 'validate' },
  reserveStock: { kind: 'step', step: 'reserve' },
  authorizePayment: { kind: 'step', step: 'authorize' },
  confirmOrder: { kind: 'step', step: 'create' },
  pinReservation: { kind: 'step', step: 'capture' },
  captureHeldPayment: { kind: 'step', step: 'capture' },
  capturePayment: { kind: 'step', step: 'capture' },
  commitReservation: { kind: 'step', step: 'commit' },
  releaseReservation: { kind: 'compensation', step: 'reserve' },
  voidPayment: { kind: 'compensation', step: 'authorize' },
  cancelOrderRecord: { kind: 'compensation', step: 'create' },
  refundPayment: { kind: 'compensation', step: 'capture' },
  returnStock: { kind: 'compensation', step: 'commit' },
  issueRefund: { kind: 'refund', step: null },
  recordOutcome: { kind: 'record', step: null },
};

/** Steps whose second argument is the events of earlier facts they publish first. */
const CARRIERS = new Set(['validateOrder', 'captureHeldPayment', 'commitReservation']);

export function toIso(ts: Timestamp | null | undefined): string | null {
  if (!ts) return null;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : (ts.seconds?.toNumber() ?? 0);
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

function decode(payloads: Payloads | null | undefined): unknown[] {
  return (payloads?.payloads ?? []).map((p) => {
    try {
      return defaultPayloadConverter.fromPayload(p);
    } catch {
      // A payload this service cannot read (another encoding) is shown as unknown, not a crash.
      return undefined;
    }
  });
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const amountOf = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
const itemsOf = (value: unknown): { sku: string; quantity: number }[] =>
  Array.isArray(value)
    ? value.flatMap((i) => {
        const { sku, quantity } = record(i);
        return typeof sku === 'string' && typeof quantity === 'number' ? [{ sku, quantity }] : [];
      })
    : [];

interface FailureLike {
  message?: string | null;
  cause?: FailureLike | null;
}
/** The innermost message: an activity failure wraps the application failure that says why. */
function failureText(failure: FailureLike | null | undefined): string | null {
  if (!failure) return null;
  let inner = failure;
  while (inner.cause) inner = inner.cause;
  return inner.message || failure.message || 'failed';
}

export function readSagaHistory(
  historyEvents: HistoryEvent[],
  pending: PendingActivity[] = [],
): SagaHistoryFacts {
  const activities = new Map<string, TimelineActivity & { activityId: string; args: unknown[] }>();
  const events: TimelineEvent[] = [];
  const actions = new Map<string, TimelineSupportAction>();
  const signalled: TimelineSupportAction[] = [];
  let startedAt: string | null = null;
  let continuedFrom: string | null = null;

  const eventFromInput = (value: unknown, scheduledAt: string, activityKey: string) => {
    const { id, type, occurredAt } = record(value);
    if (typeof id !== 'string' || typeof type !== 'string') return;
    // Re-sent by a later activity (its step failed, or Kafka did not take it in time): one event.
    publishedBy.set(activityKey, [...(publishedBy.get(activityKey) ?? []), id]);
    if (events.some((e) => e.eventId === id)) return;
    events.push({
      eventId: id,
      type,
      occurredAt: text(occurredAt) ?? scheduledAt,
      publishedAt: null,
      status: 'publishing',
    });
  };
  /** Activity scheduled-event id -> the domain events it publishes. */
  const publishedBy = new Map<string, string[]>();
  /** Of those, the saga steps that carry events of earlier facts (answering `{ announced }`). */
  const carriers = new Set<string>();

  /** An activity that published events ended: they are out, failed, or handed back to the saga. */
  const settleEvents = (activityKey: string, completed: boolean, result: unknown, at: string) => {
    // A step that could not announce, or failed, hands its events back: a later publish settles them.
    if (carriers.has(activityKey) && (!completed || record(result).announced === false)) return;
    for (const id of publishedBy.get(activityKey) ?? []) {
      const domainEvent = events.find((e) => e.eventId === id);
      if (!domainEvent || domainEvent.status === 'published') continue;
      domainEvent.status = completed ? 'published' : 'failed';
      domainEvent.publishedAt = completed ? at : null;
    }
  };

  /**
   * A local activity (the saga's internal steps since `internal-steps-run-local`): one marker per
   * attempt that ended, without its arguments — the events it carried are read from its result.
   * Markers of one activity share its id.
   */
  const localActivity = (attempt: LocalActivityAttempt, at: string) => {
    const activityKey = `local:${attempt.activityId}`;
    const scheduledAt = attempt.scheduledAt ?? at;
    // The completion is workflow time (the task's start on the server's clock plus the run), so
    // it can read earlier than the worker's schedule time when the task reached the worker late;
    // the marker itself is written no earlier than the end.
    const completedAt = attempt.completedAt ?? at;
    const endedAt = completedAt >= scheduledAt ? completedAt : at > scheduledAt ? at : scheduledAt;
    const failed = attempt.failure !== null;
    const result = record(attempt.result);
    if (CARRIERS.has(attempt.activityType)) carriers.add(activityKey);
    for (const ref of Array.isArray(result.events) ? result.events : [])
      eventFromInput(ref, scheduledAt, activityKey);
    settleEvents(activityKey, !failed, result, endedAt);
    const earlier = activities.get(activityKey);
    activities.set(activityKey, {
      activity: attempt.activityType,
      ...(STEP_OF[attempt.activityType] ?? { kind: 'record' as const, step: null }),
      scheduledAt: earlier?.scheduledAt ?? scheduledAt,
      startedAt: earlier?.startedAt ?? scheduledAt,
      endedAt,
      // A failed attempt with a backoff is retried (a later marker of the same id settles it).
      outcome: failed ? (attempt.backoff ? 'retrying' : 'failed') : 'completed',
      attempts: attempt.attempt,
      failure: failed ? failureText(attempt.failure) : null,
      activityId: activityKey,
      args: [],
    });
  };

  for (const event of historyEvents) {
    const at = toIso(event.eventTime) ?? new Date(0).toISOString();
    const key = String(event.eventId);
    const attempt = localActivityAttempt(event.markerRecordedEventAttributes);
    if (attempt) {
      localActivity(attempt, at);
      continue;
    }
    const started = event.workflowExecutionStartedEventAttributes;
    if (started) {
      startedAt = at;
      continuedFrom = started.continuedExecutionRunId || null;
    }
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const name = scheduled.activityType?.name ?? 'unknown';
      const args = decode(scheduled.input);
      if (name === 'publishEvent') {
        eventFromInput(args[0], at, key);
        continue;
      }
      if (name === 'recordOutcome' && args[2] !== undefined) eventFromInput(args[2], at, key);
      if (CARRIERS.has(name) && Array.isArray(args[1])) {
        carriers.add(key);
        for (const carried of args[1]) eventFromInput(carried, at, key);
      }
      let mapped = STEP_OF[name] ?? { kind: 'record' as const, step: null };
      if (name === 'returnItems') {
        // Items returned by a cancellation undo the commit; by a refund, they belong to it.
        const cancellation = (text(args[2]) ?? '').endsWith(':return:cancellation');
        mapped = cancellation ? { kind: 'compensation', step: 'commit' } : { kind: 'refund', step: null };
      }
      activities.set(key, {
        activity: name,
        ...mapped,
        scheduledAt: at,
        startedAt: null,
        endedAt: null,
        outcome: 'scheduled',
        attempts: 0,
        failure: null,
        activityId: scheduled.activityId ?? '',
        args,
      });
      continue;
    }
    const closing =
      event.activityTaskStartedEventAttributes ??
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (closing) {
      const activityKey = String(closing.scheduledEventId);
      if (!event.activityTaskStartedEventAttributes) {
        const done = event.activityTaskCompletedEventAttributes;
        settleEvents(activityKey, !!done, done ? decode(done.result)[0] : undefined, at);
      }
      const activity = activities.get(activityKey);
      if (!activity) continue;
      if (event.activityTaskStartedEventAttributes) {
        activity.startedAt = at;
        activity.attempts = event.activityTaskStartedEventAttributes.attempt ?? 1;
        activity.outcome = 'running';
        continue;
      }
      activity.endedAt = at;
      if (event.activityTaskCompletedEventAttributes) activity.outcome = 'completed';
      else if (event.activityTaskFailedEventAttributes) {
        activity.outcome = 'failed';
        activity.failure = failureText(event.activityTaskFailedEventAttributes.failure);
      } else if (event.activityTaskTimedOutEventAttributes) {
        activity.outcome = 'timed-out';
        activity.failure = failureText(event.activityTaskTimedOutEventAttributes.failure);
      } else activity.outcome = 'cancelled';
      continue;
    }
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted) {
      const request = accepted.acceptedRequest;
      const action = supportAction(request?.input?.name, decode(request?.input?.args)[0], 'update', at);
      if (action) actions.set(request?.meta?.updateId ?? key, action);
      continue;
    }
    const completed = event.workflowExecutionUpdateCompletedEventAttributes;
    if (completed) {
      const action = actions.get(completed.meta?.updateId ?? '');
      if (!action) continue;
      action.completedAt = at;
      if (completed.outcome?.failure) {
        action.outcome = 'failed';
        action.detail = failureText(completed.outcome.failure);
      } else action.outcome = 'done';
      continue;
    }
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal) {
      const name =
        signal.signalName === 'cancel'
          ? 'requestCancel'
          : signal.signalName === 'refund'
            ? 'requestRefund'
            : null;
      const action = supportAction(name, decode(signal.input)[0], 'signal', at);
      if (action) signalled.push(action);
      continue;
    }
    const cancelRequested = event.workflowExecutionCancelRequestedEventAttributes;
    if (cancelRequested) {
      signalled.push({
        action: 'cancel',
        via: 'temporal',
        actor: cancelRequested.identity ? `operator:${cancelRequested.identity}` : 'operator:temporal',
        reason: cancelRequested.cause || 'the saga was cancelled in Temporal',
        amount: null,
        items: [],
        refundId: null,
        requestedAt: at,
        outcome: 'accepted',
        completedAt: null,
        detail: null,
      });
    }
  }

  const byActivityId = new Map(pending.map((p) => [p.activityId, p]));
  const list = [...activities.values()].map(({ activityId, args, ...activity }) => {
    const live = activity.endedAt === null ? byActivityId.get(activityId) : undefined;
    if (live) {
      activity.attempts = live.attempt;
      activity.startedAt = live.lastStartedAt ?? activity.startedAt;
      activity.failure = live.lastFailure;
      activity.outcome = live.lastFailure ? 'retrying' : live.state === 2 ? 'running' : 'scheduled';
    }
    return { activity, args };
  });
  // A refund sent as a signal has no update outcome: its issueRefund activity tells.
  for (const action of signalled) {
    if (action.action !== 'refund' || !action.refundId) continue;
    const refund = list.find(
      ({ activity, args }) =>
        activity.activity === 'issueRefund' &&
        (text(record(args[1]).key) ?? '').endsWith(`:refund:${action.refundId}`),
    )?.activity;
    if (refund?.outcome === 'completed' || refund?.outcome === 'failed') {
      action.outcome = refund.outcome === 'completed' ? 'done' : 'failed';
      action.completedAt = refund.endedAt;
      action.detail = refund.failure;
    }
  }
  return {
    activities: list.map(({ activity }) => activity),
    events,
    supportActions: [...actions.values(), ...signalled].sort((a, b) =>
      a.requestedAt.localeCompare(b.requestedAt),
    ),
    startedAt,
    continuedFrom,
  };
}

function supportAction(
  name: string | null | undefined,
  input: unknown,
  via: 'update' | 'signal',
  at: string,
): TimelineSupportAction | undefined {
  if (name !== 'requestCancel' && name !== 'requestRefund') return undefined;
  const request = record(input);
  return {
    action: name === 'requestCancel' ? 'cancel' : 'refund',
    via,
    actor: text(request.actor) ?? 'unknown',
    reason: text(request.reason) ?? '',
    amount: amountOf(request.amount),
    items: itemsOf(request.items),
    refundId: text(request.refundId),
    requestedAt: at,
    outcome: 'accepted',
    completedAt: null,
    detail: null,
  };
}
