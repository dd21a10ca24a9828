// Placing an order: price it from the catalogue, store it under the client's Idempotency-Key,
// start its saga. The same key returns the same order and never starts a second saga; a
// placement is only acknowledged once its saga has started, so no accepted order is lost.
import { createHash, randomUUID } from 'node:crypto';
import type { OrderSagaInput } from '@orders/orchestrator/shared';
import type { OrdersRepository } from '../data-access/orders-repository';
import type { Catalogue } from './catalogue';
import type { Order } from './order';
import type { OrderSagaGateway } from './order-saga-gateway';

export interface PlaceOrderCommand {
  idempotencyKey: string;
  customer: { id: string; email: string; name?: string };
  items: { sku: string; quantity: number }[];
  paymentMethod: string;
}

export const MAX_ORDER_TOTAL = 1_000_000;

export class OrderRejected extends Error {
  constructor(
    readonly code:
      | 'UNKNOWN_SKU'
      | 'QUANTITY_LIMIT'
      | 'CURRENCY_MISMATCH'
      | 'ORDER_LIMIT_EXCEEDED'
      | 'IDEMPOTENCY_KEY_REUSED',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface PlaceOrderDeps {
  orders: OrdersRepository;
  catalogue: Catalogue;
  sagas: OrderSagaGateway;
  /** How long the completed order stays open for refunds (the saga's refund window). */
  refundWindowSeconds: number;
}

export async function placeOrder(
  deps: PlaceOrderDeps,
  command: PlaceOrderCommand,
): Promise<{ order: Order; replayed: boolean }> {
  const requestHash = hashRequest(command);
  const existing = await deps.orders.findByIdempotencyKey(command.customer.id, command.idempotencyKey);
  if (existing) return { order: await resume(deps, existing, requestHash), replayed: true };

  const priced = await price(deps.catalogue, command);
  const { order, created } = await deps.orders.insertOrGet({
    id: randomUUID(),
    customer: command.customer,
    items: priced.items,
    currency: priced.currency,
    total: priced.total,
    paymentMethod: command.paymentMethod,
    idempotencyKey: command.idempotencyKey,
    requestHash,
  });
  if (!created) return { order: await resume(deps, order, requestHash), replayed: true };
  await startSaga(deps, order);
  return { order, replayed: false };
}

/** A repeated key: same request -> same order (starting its saga if an earlier attempt could not). */
async function resume(
  deps: PlaceOrderDeps,
  order: Order & { requestHash: string },
  requestHash: string,
): Promise<Order> {
  if (order.requestHash !== requestHash) {
    throw new OrderRejected(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used for a different order request',
      { orderId: order.id },
    );
  }
  if (!order.sagaStarted) await startSaga(deps, order);
  return order;
}

async function startSaga(deps: PlaceOrderDeps, order: Order): Promise<void> {
  const input: OrderSagaInput = {
    orderId: order.id,
    customer: order.customer,
    items: order.items,
    currency: order.currency,
    total: order.total,
    paymentMethod: order.paymentMethod,
    placedAt: order.createdAt.toISOString(),
    refundWindowSeconds: deps.refundWindowSeconds,
  };
  await deps.sagas.start(input);
  await deps.orders.markSagaStarted(order.id);
}

async function price(catalogue: Catalogue, command: PlaceOrderCommand) {
  const products = new Map(
    (await catalogue.products(command.items.map((i) => i.sku))).map((p) => [p.sku, p]),
  );
  const items = command.items.map((line) => {
    const product = products.get(line.sku);
    if (!product)
      throw new OrderRejected('UNKNOWN_SKU', `${line.sku} is not in the catalogue`, { sku: line.sku });
    if (line.quantity > product.maxPerOrder) {
      throw new OrderRejected('QUANTITY_LIMIT', `at most ${product.maxPerOrder} of ${line.sku} per order`, {
        sku: line.sku,
        maxPerOrder: product.maxPerOrder,
      });
    }
    return { sku: product.sku, name: product.name, quantity: line.quantity, unitPrice: product.unitPrice };
  });
  const currencies = new Set(command.items.map((line) => products.get(line.sku)?.currency));
  if (currencies.size > 1)
    throw new OrderRejected('CURRENCY_MISMATCH', 'all items of an order must be sold in one currency', {
      currencies: [...currencies],
    });
  const currency = [...currencies][0] ?? 'eur';
  const total = items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0);
  if (total > MAX_ORDER_TOTAL)
    throw new OrderRejected(
      'ORDER_LIMIT_EXCEEDED',
      `orders above ${MAX_ORDER_TOTAL} minor units need manual review`,
      { total },
    );
  return { items, currency, total };
}

function hashRequest(command: PlaceOrderCommand): string {
  const canonical = JSON.stringify({
    customer: [command.customer.id, command.customer.email, command.customer.name ?? null],
    items: command.items.map((i) => [i.sku, i.quantity]),
    paymentMethod: command.paymentMethod,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
