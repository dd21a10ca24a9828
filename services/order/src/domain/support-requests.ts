// Cancel and refund: who may ask, and handing the request to the order's saga. The saga itself
// decides whether it can be honoured (its update validators), so a late or excessive request is
// refused by the one component that knows the order's money and stock.
import { createHash } from 'node:crypto';
import { DomainError } from '@orders/platform';
import type { CancelResult, ItemQuantity, RefundResult } from '@orders/orchestrator/shared';
import type { OrdersRepository } from '../data-access/orders-repository';
import type { Principal } from '../auth/tokens';
import { OrderClosed, OrderNotFound, type Order } from './order';
import type { OrderSagaGateway } from './order-saga-gateway';
import { visibleCustomer } from './order-visibility';
import type { SagaStarter } from '../saga-starter';

export interface SupportDeps {
  orders: OrdersRepository;
  sagas: OrderSagaGateway;
  sagaStarter: Pick<SagaStarter, 'startNow'>;
}

/** The saga a request goes to; an order accepted a moment ago may still be waiting for it. */
async function sagaOf(deps: SupportDeps, principal: Principal, orderId: string): Promise<void> {
  const order = await findVisibleOrder(deps.orders, principal, orderId);
  // A failed or cancelled order's saga may be gone; say what the order is, not that a refund
  // window ended (the saga refuses these too, with the same words, while it is still open).
  if (order.status === 'CANCELLED' || order.status === 'FAILED') throw new OrderClosed(orderId, order.status);
  if (!order.sagaStarted) await deps.sagaStarter.startNow(order);
}

export const actorOf = (principal: Principal): string => `${principal.role}:${principal.subject}`;

/** The order, if the caller may see it (order-visibility.ts). */
export async function findVisibleOrder(
  orders: OrdersRepository,
  principal: Principal,
  orderId: string,
): Promise<Order> {
  const order = await orders.findById(orderId);
  if (!order) throw new OrderNotFound(orderId);
  visibleCustomer(principal, order.customer.id);
  return order;
}

/** Only support declares items returned: a customer's word does not put stock back on the shelf. */
export class ItemsNeedSupport extends DomainError {
  constructor() {
    super('forbidden', 'FORBIDDEN', 'only support staff can declare items returned when cancelling');
  }
}

export async function cancelOrder(
  deps: SupportDeps,
  principal: Principal,
  orderId: string,
  command: { reason: string; items?: ItemQuantity[] },
): Promise<CancelResult | { orderId: string; pending: true }> {
  if (command.items && principal.role !== 'support') throw new ItemsNeedSupport();
  await sagaOf(deps, principal, orderId);
  const result = await deps.sagas.cancel(orderId, {
    reason: command.reason,
    actor: actorOf(principal),
    ...(command.items ? { items: command.items } : {}),
  });
  return 'pending' in result ? { orderId, pending: true } : result;
}

export interface RefundCommand {
  amount: number;
  reason: string;
  items?: ItemQuantity[];
  /** The caller's Idempotency-Key: the same key is the same refund. */
  idempotencyKey: string;
}

export async function refundOrder(
  deps: SupportDeps,
  principal: Principal,
  orderId: string,
  command: RefundCommand,
): Promise<RefundResult | { orderId: string; refundId: string; pending: true }> {
  await sagaOf(deps, principal, orderId);
  const refundId = createHash('sha256')
    .update(`${orderId}\n${command.idempotencyKey}`)
    .digest('hex')
    .slice(0, 24);
  const result = await deps.sagas.refund(orderId, {
    refundId,
    amount: command.amount,
    reason: command.reason,
    actor: actorOf(principal),
    ...(command.items ? { items: command.items } : {}),
  });
  return 'pending' in result ? { orderId, refundId, pending: true } : result;
}
