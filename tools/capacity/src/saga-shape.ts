// What one order costs the engine, counted from a recorded history of a completed saga
// (orchestrator/test/histories/completed.json, re-recorded whenever the workflow's commands
// change), so the model follows the workflow instead of a number typed in once.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { orderEventSchema, type OrderEvent } from '@orders/platform/events';
import { z } from 'zod';
import { LOCAL_ACTIVITY_MARKER } from '@orders/orchestrator/history';
// The notification service's own rule for which events it e-mails.
import { sendsEmail } from '@orders/notification/templates';
import { REPO_ROOT } from '@orders/stack/repo-root';

export const COMPLETED_HISTORY = path.join(REPO_ROOT, 'orchestrator/test/histories/completed.json');

export interface SagaShape {
  source: string;
  events: number;
  workflowTasks: number;
  activityTasks: number;
  /** Activities by type, those run as local activities (markers, no task of their own) included. */
  activitiesByType: Record<string, number>;
  /** Of those, the local activities' results recorded (one marker each). */
  localActivities: number;
  timers: number;
  searchAttributeUpserts: number;
  /**
   * Mutable-state updates of the history service: the start, each workflow task started and
   * completed, each activity task started and ended, each timer fired, each signal. Each is one
   * persistence write on the order's shard.
   */
  stateUpdates: number;
  /** Visibility writes: the start, each search-attribute upsert, the close. */
  visibilityWrites: number;
  /** Domain events the saga published (in activity inputs and local activities' results), by type. */
  kafkaEvents: Record<OrderEvent['type'], number>;
  kafkaEventCount: number;
  /** Of those, the ones the notification service e-mails. */
  emailedEvents: number;
  /** Mean size of one event's JSON, as the publisher sends it. */
  kafkaEventBytes: number;
  /** Order lines of the recorded order (each a row in the inventory transactions). */
  orderLines: number;
}

const payloadSchema = z.object({ data: z.string().optional() });
const historySchema = z.object({
  events: z.array(
    z
      .object({
        eventType: z.string(),
        activityTaskScheduledEventAttributes: z
          .object({
            activityType: z.object({ name: z.string() }),
            input: z.object({ payloads: z.array(payloadSchema) }).optional(),
          })
          .optional(),
        workflowExecutionStartedEventAttributes: z
          .object({ input: z.object({ payloads: z.array(payloadSchema) }).optional() })
          .optional(),
        markerRecordedEventAttributes: z
          .object({
            markerName: z.string(),
            details: z.record(z.string(), z.object({ payloads: z.array(payloadSchema) })).optional(),
          })
          .optional(),
      })
      .loose(),
  ),
});

type HistoryEvent = z.infer<typeof historySchema>['events'][number];

const decode = (p: { data?: string }): unknown => {
  if (p.data === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
};

/** Every value inside `value` that is a valid order event (activity inputs nest them in arrays). */
function findEvents(value: unknown, out: OrderEvent[]): void {
  const parsed = orderEventSchema.safeParse(value);
  if (parsed.success) {
    out.push(parsed.data);
    return;
  }
  if (Array.isArray(value)) for (const v of value) findEvents(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) findEvents(v, out);
}

const localResultSchema = z.object({
  events: z.array(z.object({ id: z.string(), type: z.string() as z.ZodType<OrderEvent['type']> })).optional(),
});

const ENDED_ACTIVITY = new Set([
  'EVENT_TYPE_ACTIVITY_TASK_COMPLETED',
  'EVENT_TYPE_ACTIVITY_TASK_FAILED',
  'EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT',
  'EVENT_TYPE_ACTIVITY_TASK_CANCELED',
]);

export function countSagaShape(history: unknown, source: string): SagaShape {
  const { events } = historySchema.parse(history);
  const count = (type: string) => events.filter((e) => e.eventType === `EVENT_TYPE_${type}`).length;
  const activitiesByType: Record<string, number> = {};
  const published = new Map<string, OrderEvent>();
  /** Events a local activity published: its marker keeps its result (their ids and types), not its input. */
  const publishedLocally = new Map<string, OrderEvent['type']>();
  let localActivities = 0;
  let orderLines = 0;
  for (const e of events) {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === LOCAL_ACTIVITY_MARKER) {
      localActivities += 1;
      const data = z
        .object({ activity_type: z.string() })
        .safeParse(decode(marker.details?.data?.payloads[0] ?? {}));
      const name = data.success ? data.data.activity_type : 'unknown';
      activitiesByType[name] = (activitiesByType[name] ?? 0) + 1;
      const result = localResultSchema.safeParse(decode(marker.details?.result?.payloads[0] ?? {}));
      for (const ref of result.success ? (result.data.events ?? []) : [])
        publishedLocally.set(ref.id, ref.type);
    }
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const name = scheduled.activityType.name;
      activitiesByType[name] = (activitiesByType[name] ?? 0) + 1;
      const found: OrderEvent[] = [];
      for (const p of scheduled.input?.payloads ?? []) findEvents(decode(p), found);
      // Event ids are deterministic, so an event re-sent by a retried step counts once.
      for (const ev of found) published.set(ev.id, ev);
    }
    orderLines ||= linesOf(e);
  }
  const kafkaEvents = {} as Record<OrderEvent['type'], number>;
  let bytes = 0;
  for (const ev of published.values()) bytes += Buffer.byteLength(JSON.stringify(ev));
  const types = new Map<string, OrderEvent['type']>(publishedLocally);
  for (const ev of published.values()) types.set(ev.id, ev.type);
  for (const type of types.values()) kafkaEvents[type] = (kafkaEvents[type] ?? 0) + 1;
  const emailed = [...types.values()].filter((type) => sendsEmail({ type } as OrderEvent)).length;
  const workflowTasks = count('WORKFLOW_TASK_COMPLETED');
  const activityTasks = count('ACTIVITY_TASK_SCHEDULED');
  const timers = count('TIMER_FIRED');
  const signals = count('WORKFLOW_EXECUTION_SIGNALED') + count('WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
  const upserts = count('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES');
  const activitiesEnded = events.filter((e) => ENDED_ACTIVITY.has(e.eventType)).length;
  return {
    source,
    events: events.length,
    workflowTasks,
    activityTasks,
    activitiesByType,
    localActivities,
    timers,
    searchAttributeUpserts: upserts,
    stateUpdates:
      1 +
      count('WORKFLOW_TASK_STARTED') +
      workflowTasks +
      count('ACTIVITY_TASK_STARTED') +
      activitiesEnded +
      timers +
      signals,
    visibilityWrites: 2 + upserts,
    kafkaEvents,
    kafkaEventCount: types.size,
    emailedEvents: emailed,
    // The mean of the events whose whole JSON the history holds (a step's input).
    kafkaEventBytes: published.size > 0 ? Math.round(bytes / published.size) : 0,
    orderLines,
  };
}

function linesOf(e: HistoryEvent): number {
  const input = e.workflowExecutionStartedEventAttributes?.input?.payloads[0];
  const decoded = input ? decode(input) : undefined;
  const items = z.object({ items: z.array(z.unknown()) }).safeParse(decoded);
  return items.success ? items.data.items.length : 0;
}

export function readSagaShape(file: string = COMPLETED_HISTORY): SagaShape {
  return countSagaShape(JSON.parse(readFileSync(file, 'utf8')) as unknown, path.relative(REPO_ROOT, file));
}
