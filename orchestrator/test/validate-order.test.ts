import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findOrderProblem } from '../src/domain/validate-order';
import type { CatalogueProduct, OrderSagaInput } from '../src/shared';

const catalogue: CatalogueProduct[] = [
  { sku: 'MUG', name: 'Mug', unitPrice: 1250, currency: 'eur', maxPerOrder: 5 },
  { sku: 'CAP', name: 'Cap', unitPrice: 2000, currency: 'eur', maxPerOrder: 100 },
  { sku: 'HAT', name: 'Hat', unitPrice: 2000, currency: 'usd', maxPerOrder: 100 },
];
const order = (overrides: Partial<OrderSagaInput> = {}): OrderSagaInput => ({
  orderId: 'o-1',
  customer: { id: 'c-1', email: 'shopper@example.test' },
  items: [
    { sku: 'MUG', quantity: 2, unitPrice: 1250 },
    { sku: 'CAP', quantity: 1, unitPrice: 2000 },
  ],
  currency: 'eur',
  total: 4500,
  paymentMethod: 'pm_card_visa',
  placedAt: '2026-11-23T10:00:00Z',
  ...overrides,
});

test('a consistent order has no problem', () => {
  assert.equal(findOrderProblem(order(), catalogue), null);
});

test('each rule names its own code', () => {
  const code = (o: OrderSagaInput) => findOrderProblem(o, catalogue)?.code;
  assert.equal(code(order({ customer: { id: 'c-1', email: 'nope' } })), 'INVALID_CUSTOMER');
  assert.equal(code(order({ items: [], total: 0 })), 'EMPTY_ORDER');
  assert.equal(code(order({ items: [{ sku: 'GONE', quantity: 1, unitPrice: 1 }], total: 1 })), 'UNKNOWN_SKU');
  assert.equal(
    code(order({ items: [{ sku: 'MUG', quantity: 6, unitPrice: 1250 }], total: 7500 })),
    'QUANTITY_LIMIT',
  );
  assert.equal(
    code(order({ items: [{ sku: 'HAT', quantity: 1, unitPrice: 2000 }], total: 2000 })),
    'CURRENCY_MISMATCH',
  );
  assert.equal(
    code(order({ items: [{ sku: 'MUG', quantity: 1, unitPrice: 999 }], total: 999 })),
    'PRICE_CHANGED',
  );
  assert.equal(code(order({ total: 4400 })), 'TOTAL_MISMATCH');
  assert.equal(
    code(
      order({
        items: Array.from({ length: 51 }, () => ({ sku: 'CAP', quantity: 1, unitPrice: 2000 })),
        total: 102000,
      }),
    ),
    'TOO_MANY_LINES',
  );
  assert.equal(
    findOrderProblem(
      order({ items: [{ sku: 'CAP', quantity: 100, unitPrice: 2000 }], total: 200000 }),
      catalogue,
    ),
    null,
  );
  const big = [{ sku: 'CAP', name: 'Cap', unitPrice: 20000, currency: 'eur', maxPerOrder: 100 }];
  assert.equal(
    findOrderProblem(
      order({ items: [{ sku: 'CAP', quantity: 51, unitPrice: 20000 }], total: 1_020_000 }),
      big,
    )?.code,
    'ORDER_LIMIT_EXCEEDED',
  );
});
