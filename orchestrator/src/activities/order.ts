// The order participant: the saga's `create` step and its undo, and the final outcome, all on
// the order service's internal API (the orchestrator never touches the orders database).
import type { CompensationName, SagaFailure } from '../shared';
import type { ParticipantClients } from './service-client';

export interface OrderOutcome {
  status: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  failure: SagaFailure | null;
  compensations: CompensationName[];
  /** Total refunded so far (refunds after completion, or the refund a cancellation made). */
  refunded: number;
  reason?: string;
}

export function orderActivities({ forward: orders, compensation: undo }: ParticipantClients) {
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

    async recordOutcome(orderId: string, outcome: OrderOutcome): Promise<void> {
      await undo.request('POST', path(orderId, 'outcome'), {
        body: outcome,
        idempotencyKey: `${orderId}:outcome`,
      });
    },
  };
}
