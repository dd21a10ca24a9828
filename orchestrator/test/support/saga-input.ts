import { randomUUID } from 'node:crypto';
import type { OrderSagaInput } from '../../src/shared';

/** A small valid saga input with its own order id; a 1 s refund window lets the saga end quickly. */
export const sagaInput = (): OrderSagaInput => ({
  orderId: randomUUID(),
  customer: { id: 'c-1', email: 'shopper@example.test' },
  items: [{ sku: 'MUG', quantity: 2, unitPrice: 1250 }],
  currency: 'eur',
  total: 2500,
  paymentMethod: 'pm_card_visa',
  placedAt: new Date().toISOString(),
  refundWindowSeconds: 1,
});
