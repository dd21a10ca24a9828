// The order service as a saga participant: the `create` step, its undo, and the final outcome.
// Each is idempotent, and none moves an order out of a final state.
import type { SagaFailure } from '@orders/orchestrator/shared';
import type { OrdersRepository } from '../data-access/orders-repository';
import { OrderClosed, OrderNotFound, type Order } from './order';

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

export interface SagaOutcome {
  status: 'COMPLETED' | 'FAILED' | 'CANCELLED';
  failure: SagaFailure | null;
  compensations: string[];
}

export async function recordOutcome(
  orders: OrdersRepository,
  orderId: string,
  outcome: SagaOutcome,
): Promise<Order> {
  // COMPLETED only follows a confirmed order; FAILED/CANCELLED close any open or cancelled record.
  const from =
    outcome.status === 'COMPLETED'
      ? (['CONFIRMED'] as const)
      : (['PENDING', 'CONFIRMED', 'CANCELLED'] as const);
  const reason = outcome.failure ? `${outcome.failure.step}: ${outcome.failure.reason}` : null;
  const { order, changed } = await orders.transition(orderId, [...from], outcome.status, {
    reason,
    failure: outcome.failure,
    compensations: outcome.compensations,
  });
  if (!order) throw new OrderNotFound(orderId);
  if (!changed && order.status !== outcome.status) throw new OrderClosed(orderId, order.status);
  return order;
}
