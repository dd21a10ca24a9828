// The order participant: the saga's `create` step and its undo, and the final outcome, all on
// the order service's internal API (the orchestrator never touches the orders database).
import type { OrderEvent } from '@orders/platform/events';
import type { OrderEventPublisher } from '../events/order-event-publisher';
import type { OrderSagaState, SagaOutcome } from '../shared';
import { eventRefs, publishOrderEvent, type Announced } from './events';
import type { ParticipantClients } from './service-client';

export function orderActivities(
  { forward: orders, compensation: undo }: ParticipantClients,
  events: OrderEventPublisher,
) {
  const path = (orderId: string, action: string) =>
    `/internal/v1/orders/${encodeURIComponent(orderId)}/${action}`;
  return {
    async confirmOrder(orderId: string): Promise<void> {
      await orders.request('POST', path(orderId, 'confirm'), { idempotencyKey: `${orderId}:create` });
    },

    /** Undo of create: the order record is marked cancelled (harmless if it was never confirmed). */
    async cancelOrderRecord(orderId: string, reason: string): Promise<void> {
      await undo.request('POST', path(orderId, 'cancel-record'), {
        body: { reason },
        idempotencyKey: `${orderId}:cancel-record`,
      });
    },

    /**
     * The order's final state; then `event`, the saga's final event, once the record shows it
     * (one activity instead of two: a retry records again, harmlessly, and re-sends the same
     * event id, which consumers drop).
     */
    async recordOutcome(orderId: string, outcome: SagaOutcome, event?: OrderEvent): Promise<Announced> {
      const recorded = await undo.request<{ updatedAt?: string } | undefined>(
        'POST',
        path(orderId, 'outcome'),
        {
          body: outcome,
          idempotencyKey: `${orderId}:outcome`,
        },
      );
      if (!event) return { announced: true };
      // The outcome's time is the record's: a local step run again after a lost workflow task
      // re-sends the event with it, not with the later task's time (saga-context.ts, nextEvent).
      const sent = recorded?.updatedAt ? { ...event, occurredAt: recorded.updatedAt } : event;
      await publishOrderEvent(events, sent);
      return { announced: true, events: eventRefs([sent]) };
    },

    /**
     * The saga's state, for the order record to answer reads with, when it changed without an
     * outcome to record (a support request accepted, a refund refused by Stripe). The order
     * service keeps the highest revision, so a retry or a late attempt is harmless.
     */
    async recordSagaState(orderId: string, saga: OrderSagaState): Promise<void> {
      await undo.request('POST', path(orderId, 'saga-state'), {
        body: saga,
        idempotencyKey: `${orderId}:saga-state:${saga.revision ?? 0}`,
      });
    },
  };
}
