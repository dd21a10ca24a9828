// Placing an order: price it from the catalogue, store it under the client's Idempotency-Key,
// wake the saga starter. The same key returns the same order and never starts a second saga.
// A placement is acknowledged once the order is stored: from there the starter (saga-starter.ts)
// starts its saga, however busy or unreachable Temporal is at that moment, so an accepted order
// is never lost and accepting one never waits on the engine.
import { createHash, randomUUID } from 'node:crypto';
import { DomainError, activeTraceparent } from '@orders/platform';
import { ORDER_LIMITS } from '@orders/orchestrator/shared';
import type { OrdersRepository } from '../data-access/orders-repository';
import type { Catalogue } from './catalogue';
import type { Order } from './order';
import type { SagaStarter } from '../saga-starter';

export interface PlaceOrderCommand {
  idempotencyKey: string;
  customer: { id: string; email: string; name?: string };
  items: { sku: string; quantity: number }[];
  paymentMethod: string;
}

export class OrderRejected extends DomainError {
  constructor(
    code:
      | 'UNKNOWN_SKU'
      | 'QUANTITY_LIMIT'
      | 'CURRENCY_MISMATCH'
      | 'ORDER_LIMIT_EXCEEDED'
      | 'IDEMPOTENCY_KEY_REUSED',
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super('rejected', code, message, details);
  }
}

export interface PlaceOrderDeps {
  orders: OrdersRepository;
  catalogue: Catalogue;
  sagaStarter: Pick<SagaStarter, 'wake' | 'taskQueue'>;
}

/** A placement let through the rate limit; cancelled when no order is accepted after all. */
export interface Admission {
  cancel(): Promise<void>;
}

/**
 * Asks the rate limit for one placement (throws when none is left). Called only for a new order:
 * a replay of an accepted one answers without it, so a client retrying after a lost response
 * learns its order even when its budget is used up.
 */
export type Admit = () => Promise<Admission>;

const admitted: Admission = { cancel: async () => undefined };

export async function placeOrder(
  deps: PlaceOrderDeps,
  command: PlaceOrderCommand,
  admit: Admit = async () => admitted,
): Promise<{ order: Order; replayed: boolean }> {
  const requestHash = hashRequest(command);
  const existing = await deps.orders.findByIdempotencyKey(command.customer.id, command.idempotencyKey);
  if (existing) return { order: replay(deps, existing, requestHash), replayed: true };

  const admission = await admit();
  let created = false;
  try {
    const priced = await price(deps.catalogue, command);
    const stored = await deps.orders.insertOrGet({
      id: randomUUID(),
      customer: command.customer,
      items: priced.items,
      currency: priced.currency,
      total: priced.total,
      paymentMethod: command.paymentMethod,
      idempotencyKey: command.idempotencyKey,
      requestHash,
      sagaTaskQueue: deps.sagaStarter.taskQueue,
      traceparent: activeTraceparent(),
    });
    created = stored.created;
    // The same key raced in by a concurrent request: that one took the placement.
    if (!created) return { order: replay(deps, stored.order, requestHash), replayed: true };
    deps.sagaStarter.wake();
    return { order: stored.order, replayed: false };
  } finally {
    // Only an accepted order uses up a placement: a business refusal, an unreachable catalogue
    // or a lost race for the key gives it back.
    if (!created) await admission.cancel();
  }
}

/** A repeated key: same request -> same order (whose saga the starter starts if it has not yet). */
function replay(deps: PlaceOrderDeps, order: Order & { requestHash: string }, requestHash: string): Order {
  if (order.requestHash !== requestHash) {
    throw new OrderRejected(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used for a different order request',
      { orderId: order.id },
    );
  }
  if (!order.sagaStarted) deps.sagaStarter.wake();
  return order;
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
  if (total > ORDER_LIMITS.maxTotal)
    throw new OrderRejected(
      'ORDER_LIMIT_EXCEEDED',
      `orders above ${ORDER_LIMITS.maxTotal} minor units need manual review`,
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
