// Response shapes of the support console's reads: the saga timeline of one order and the
// order counts per status. Kept beside schemas.ts (the placement/refund shapes) so the OpenAPI
// document is generated from the same definitions the routes answer with.
import { z } from 'zod';
import { text } from '@orders/platform';
import { SAGA_STEPS } from '@orders/orchestrator/shared';
import { orderStatus } from './schemas';

const instant = z.iso.datetime();
const money = z.number().int().nonnegative();

export const timelineActivity = z
  .object({
    activity: z.string().describe('The Temporal activity, e.g. reserveStock or refundPayment'),
    kind: z
      .enum(['step', 'compensation', 'refund', 'record'])
      .describe(
        'step: a forward saga step; compensation: an undo; refund: a support refund; record: bookkeeping',
      ),
    step: z.enum(SAGA_STEPS).nullable().describe('The saga step this runs or undoes'),
    scheduledAt: instant,
    startedAt: instant.nullable().describe('Start of the last attempt, once known'),
    endedAt: instant.nullable(),
    outcome: z.enum(['scheduled', 'running', 'retrying', 'completed', 'failed', 'timed-out', 'cancelled']),
    attempts: z.number().int().nonnegative(),
    failure: z.string().nullable().describe('The last failure, for a failed or retrying activity'),
  })
  .meta({ id: 'TimelineActivity' });

export const timelineEvent = z
  .object({
    eventId: z.string(),
    type: z.string().describe('OrderPlaced, OrderConfirmed, PaymentCaptured, OrderCompleted, ...'),
    occurredAt: instant,
    publishedAt: instant.nullable(),
    status: z.enum(['publishing', 'published', 'failed']),
  })
  .meta({ id: 'TimelineEvent' });

export const timelineEmail = z
  .object({
    eventId: z.string().describe('The domain event the e-mail tells about'),
    type: z.string(),
    status: z.string().describe('SENT, or the notification service’s state while it is not sent yet'),
    recipient: z.string(),
    subject: z.string().nullable(),
    attempts: z.number().int().nonnegative(),
    lastError: z.string().nullable(),
    createdAt: instant,
    sentAt: instant.nullable(),
  })
  .meta({ id: 'TimelineEmail' });

export const timelineSupportAction = z
  .object({
    action: z.enum(['cancel', 'refund']),
    via: z.enum(['update', 'signal', 'temporal']).describe('temporal: cancelled from the Temporal UI or CLI'),
    actor: z.string(),
    reason: z.string(),
    amount: money.nullable(),
    items: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
    refundId: z.string().nullable(),
    requestedAt: instant,
    outcome: z.enum(['accepted', 'done', 'failed']),
    completedAt: instant.nullable(),
    detail: z.string().nullable().describe('Why it failed, when it did'),
  })
  .meta({ id: 'TimelineSupportAction' });

export const orderTimeline = z
  .object({
    orderId: z.uuid(),
    status: orderStatus,
    placedAt: instant,
    saga: z
      .object({
        workflowId: z.string(),
        status: z.string().describe('The workflow’s status in Temporal: RUNNING, COMPLETED, ...'),
        open: z.boolean().describe('True while the saga runs (a completed order stays open for refunds)'),
        startedAt: instant,
        closedAt: instant.nullable(),
        runs: z.number().int().positive().describe('Runs read (continue-as-new starts a new run)'),
      })
      .nullable()
      .describe('Null when the saga has not started or Temporal cannot be read right now'),
    activities: z.array(timelineActivity),
    events: z.array(timelineEvent),
    emails: z.array(timelineEmail),
    supportActions: z.array(timelineSupportAction),
    sources: z
      .object({
        history: z.enum(['ok', 'not-started', 'unavailable']),
        notifications: z.enum(['ok', 'unavailable']),
      })
      .describe('Which sources answered; a part that did not is shown empty'),
  })
  .meta({ id: 'OrderTimeline' });

export const orderCountsQuery = z
  .object({
    customerId: text({ min: 1, max: 100 }).optional(),
    from: z.iso.datetime({ offset: true }).optional().describe('Created at or after'),
    to: z.iso.datetime({ offset: true }).optional().describe('Created before'),
  })
  .strict();

export const orderCounts = z
  .object({
    total: z.number().int().nonnegative(),
    byStatus: z.object({
      PENDING: z.number().int().nonnegative(),
      CONFIRMED: z.number().int().nonnegative(),
      COMPLETED: z.number().int().nonnegative(),
      FAILED: z.number().int().nonnegative(),
      CANCELLED: z.number().int().nonnegative(),
    }),
  })
  .meta({ id: 'OrderCounts' });

export type OrderTimeline = z.infer<typeof orderTimeline>;
export type TimelineActivity = z.infer<typeof timelineActivity>;
export type TimelineEvent = z.infer<typeof timelineEvent>;
export type TimelineEmail = z.infer<typeof timelineEmail>;
export type TimelineSupportAction = z.infer<typeof timelineSupportAction>;
export type OrderCounts = z.infer<typeof orderCounts>;
