// The saga's validate step, as a pure function: the order as placed, checked against the
// catalogue as it is now. Stock is not checked here — reserve does that atomically.
import { ORDER_LIMITS, type CatalogueProduct, type OrderSagaInput } from '../shared';

export interface OrderProblem {
  code:
    | 'EMPTY_ORDER'
    | 'TOO_MANY_LINES'
    | 'UNKNOWN_SKU'
    | 'QUANTITY_LIMIT'
    | 'PRICE_CHANGED'
    | 'CURRENCY_MISMATCH'
    | 'TOTAL_MISMATCH'
    | 'ORDER_LIMIT_EXCEEDED'
    | 'INVALID_CUSTOMER';
  reason: string;
}

export function findOrderProblem(order: OrderSagaInput, catalogue: CatalogueProduct[]): OrderProblem | null {
  if (!order.customer.id || !/^[^@\s]+@[^@\s]+$/.test(order.customer.email)) {
    return { code: 'INVALID_CUSTOMER', reason: 'the order has no valid customer id and e-mail' };
  }
  if (order.items.length === 0) return { code: 'EMPTY_ORDER', reason: 'the order has no items' };
  if (order.items.length > ORDER_LIMITS.maxLines) {
    return { code: 'TOO_MANY_LINES', reason: `an order has at most ${ORDER_LIMITS.maxLines} lines` };
  }
  const bySku = new Map(catalogue.map((p) => [p.sku, p]));
  let total = 0;
  for (const line of order.items) {
    const product = bySku.get(line.sku);
    if (!product) return { code: 'UNKNOWN_SKU', reason: `${line.sku} is not in the catalogue` };
    if (line.quantity > product.maxPerOrder) {
      return { code: 'QUANTITY_LIMIT', reason: `at most ${product.maxPerOrder} of ${line.sku} per order` };
    }
    if (product.currency !== order.currency) {
      return {
        code: 'CURRENCY_MISMATCH',
        reason: `${line.sku} is sold in ${product.currency}, the order is in ${order.currency}`,
      };
    }
    if (product.unitPrice !== line.unitPrice) {
      return {
        code: 'PRICE_CHANGED',
        reason: `${line.sku} now costs ${product.unitPrice}, the order was priced at ${line.unitPrice}`,
      };
    }
    total += line.unitPrice * line.quantity;
  }
  if (total !== order.total)
    return { code: 'TOTAL_MISMATCH', reason: `items add up to ${total}, the order says ${order.total}` };
  if (total > ORDER_LIMITS.maxTotal) {
    return {
      code: 'ORDER_LIMIT_EXCEEDED',
      reason: `orders above ${ORDER_LIMITS.maxTotal} minor units need manual review`,
    };
  }
  return null;
}
