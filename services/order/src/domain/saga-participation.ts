// The order service as a saga participant: the `create` step, its undo, and the final outcome.
// Each is idempotent, and none moves an order out of a final state.
import type { OrderSagaState, SagaOutcome, SagaOutcomeStatus } from '@orders/orchestrator/shared';
import type { OrdersRepository } from '../data-access/orders-repository';
import { OrderClosed, OrderNotFound, type Order, type OrderRecordStatus } from './order';

export async function confirmOrder(orders: OrdersRepository, orderId: string): Promise<Order> {
  const { order, changed } = await orders.transition(orderId, ['PENDING'], 'CONFIRMED');
  if (!order) throw new OrderNotFound(orderId);
  if (!changed && order.status !== 'CONFIRMED' && order.status !== 'COMPLETED')
    throw new OrderClosed(orderId, order.status);
  return order;
}

/** Undo of `create`; an order that was never confirmed is cancelled just the same. */
export async function cancelOrderRecord(
  orders: OrdersRepository,
  orderId: string,
  reason: string,
): Promise<Order> {
  const { order } = await orders.transition(orderId, ['PENDING', 'CONFIRMED'], 'CANCELLED', { reason });
  if (!order) throw new OrderNotFound(orderId);
  return order;
}

/**
 * The saga's outcome as this service reads it: the contract's, with compensation names taken as
 * plain strings, so a name this service does not know yet (a newer worker mid-rollout) is stored
 * rather than refused (the saga would retry the outcome for good).
 */
export type ReceivedOutcome = Omit<SagaOutcome, 'compensations'> & { compensations: string[] };

/** Where each outcome may come from: COMPLETED is repeated as refunds add up; nothing leaves FAILED. */
const OUTCOME_FROM: Record<SagaOutcomeStatus, OrderRecordStatus[]> = {
  COMPLETED: ['CONFIRMED', 'COMPLETED'],
  CANCELLED: ['PENDING', 'CONFIRMED', 'CANCELLED', 'COMPLETED'],
  FAILED: ['PENDING', 'CONFIRMED', 'CANCELLED', 'FAILED'],
};

export async function recordOutcome(
  orders: OrdersRepository,
  orderId: string,
  outcome: ReceivedOutcome,
): Promise<Order> {
  const reason = outcome.failure ? `${outcome.failure.step}: ${outcome.failure.reason}` : outcome.reason;
  const { order, changed } = await orders.transition(orderId, OUTCOME_FROM[outcome.status], outcome.status, {
    ...(reason !== undefined ? { reason } : {}),
    failure: outcome.failure,
    compensations: outcome.compensations,
    refunded: outcome.refunded,
    ...(outcome.saga ? { saga: outcome.saga } : {}),
  });
  if (!order) throw new OrderNotFound(orderId);
  if (!changed && order.status !== outcome.status) throw new OrderClosed(orderId, order.status);
  return order;
}

/** The saga's state changed without an outcome (a request accepted, a refund refused). */
export async function recordSagaState(
  orders: OrdersRepository,
  orderId: string,
  saga: OrderSagaState,
): Promise<Order> {
  const order = await orders.recordSagaState(orderId, saga);
  if (!order) throw new OrderNotFound(orderId);
  return order;
}
