import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  startInventory,
  uniqueOrderId,
  uniqueSku,
  type Inventory,
  type ProblemJson,
  type ReservationJson,
} from './harness';

let inventory: Inventory;
before(async () => {
  inventory = await startInventory();
});
after(() => inventory.close());

test('reserve holds stock; commit decrements it exactly once, however often it is repeated', async () => {
  const sku = await inventory.createProduct({ onHand: 10, unitPrice: 1250 });
  const orderId = uniqueOrderId();

  const reserved = await inventory.reserve(orderId, [{ sku, quantity: 3 }]);
  assert.equal(reserved.status, 201);
  assert.equal(reserved.body.status, 'HELD');
  assert.deepEqual(reserved.body.items, [{ sku, quantity: 3, unitPrice: 1250, returnedQuantity: 0 }]);
  assert.ok(Date.parse(reserved.body.expiresAt) > Date.parse(reserved.body.createdAt));
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved, p.available]), [10, 3, 7]);

  for (let i = 0; i < 3; i++) {
    const committed = await inventory.call<ReservationJson>('POST', `/v1/reservations/${orderId}/commit`);
    assert.equal(committed.status, 200);
    assert.equal(committed.body.status, 'COMMITTED');
  }
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved, p.available]), [7, 0, 7]);

  const read = await inventory.call<ReservationJson>('GET', `/v1/reservations/${orderId}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.status, 'COMMITTED');
});

test('a multi-item reservation copies each catalogue price at reservation time', async () => {
  const a = await inventory.createProduct({ onHand: 5, unitPrice: 100 });
  const b = await inventory.createProduct({ onHand: 5, unitPrice: 250 });
  const orderId = uniqueOrderId();
  const res = await inventory.reserve(orderId, [
    { sku: b, quantity: 2 },
    { sku: a, quantity: 1 },
  ]);
  assert.equal(res.status, 201);
  const prices = Object.fromEntries(res.body.items.map((i) => [i.sku, [i.quantity, i.unitPrice]]));
  assert.deepEqual(prices, { [a]: [1, 100], [b]: [2, 250] });

  // A later price change does not touch what the order reserved.
  const put = await inventory.call(
    'PUT',
    `/v1/products/${a}`,
    { name: 'A', unitPrice: 999, currency: 'eur', onHand: 5 },
    { 'if-match': `"${(await inventory.product(a)).version}"` },
  );
  assert.equal(put.status, 200);
  const read = await inventory.call<ReservationJson>('GET', `/v1/reservations/${orderId}`);
  assert.equal(read.body.items.find((i) => i.sku === a)?.unitPrice, 100);
});

test('a replayed reserve with the same items answers the same reservation and holds stock once', async () => {
  const sku = await inventory.createProduct({ onHand: 10 });
  const orderId = uniqueOrderId();
  const first = await inventory.reserve(orderId, [{ sku, quantity: 4 }]);
  const second = await inventory.reserve(orderId, [{ sku, quantity: 4 }]);
  assert.equal(first.status, 201);
  assert.equal(second.status, 200);
  assert.deepEqual(second.body, first.body);
  assert.equal((await inventory.product(sku)).reserved, 4);

  // Still answered after commit: a retry that lands late must not fail the saga.
  await inventory.call('POST', `/v1/reservations/${orderId}/commit`);
  const third = await inventory.reserve(orderId, [{ sku, quantity: 4 }]);
  assert.equal(third.status, 200);
  assert.equal(third.body.status, 'COMMITTED');
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [6, 0]);
});

test('the same order id with different items is a 409 RESERVATION_MISMATCH and changes nothing', async () => {
  const sku = await inventory.createProduct({ onHand: 10 });
  const other = await inventory.createProduct({ onHand: 10 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [{ sku, quantity: 2 }]);

  for (const items of [
    [{ sku, quantity: 3 }],
    [{ sku: other, quantity: 2 }],
    [
      { sku, quantity: 2 },
      { sku: other, quantity: 1 },
    ],
  ]) {
    const res = await inventory.reserve(orderId, items);
    assert.equal(res.status, 409);
    assert.equal(res.contentType, 'application/problem+json');
    assert.equal(res.body.code, 'RESERVATION_MISMATCH');
  }
  assert.equal((await inventory.product(sku)).reserved, 2);
  assert.equal((await inventory.product(other)).reserved, 0);
});

test('concurrent reserves for one order make exactly one reservation', async () => {
  const sku = await inventory.createProduct({ onHand: 100 });
  const orderId = uniqueOrderId();
  const replies = await Promise.all(
    Array.from({ length: 8 }, () => inventory.reserve(orderId, [{ sku, quantity: 5 }])),
  );
  assert.deepEqual(replies.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
  assert.equal(new Set(replies.map((r) => r.body.createdAt)).size, 1);
  assert.equal((await inventory.product(sku)).reserved, 5);
});

test('out of stock, unknown sku and quantity limit are 422 with their code, and nothing is held', async () => {
  const plenty = await inventory.createProduct({ onHand: 50 });
  const scarce = await inventory.createProduct({ onHand: 2 });
  const limited = await inventory.createProduct({ onHand: 50, maxPerOrder: 3 });
  const unknown = uniqueSku('GONE');

  const cases: [{ sku: string; quantity: number }[], string, Record<string, unknown>][] = [
    [
      [
        { sku: plenty, quantity: 5 },
        { sku: scarce, quantity: 3 },
      ],
      'OUT_OF_STOCK',
      { sku: scarce, requested: 3, available: 2 },
    ],
    [
      [
        { sku: plenty, quantity: 5 },
        { sku: unknown, quantity: 1 },
      ],
      'UNKNOWN_SKU',
      { sku: unknown },
    ],
    [
      [
        { sku: plenty, quantity: 5 },
        { sku: limited, quantity: 4 },
      ],
      'QUANTITY_LIMIT',
      { sku: limited, maxPerOrder: 3 },
    ],
  ];
  for (const [items, code, extensions] of cases) {
    const orderId = uniqueOrderId();
    const res = await inventory.reserve(orderId, items);
    assert.equal(res.status, 422, code);
    assert.equal(res.contentType, 'application/problem+json');
    const problem: ProblemJson = res.body;
    assert.equal(problem.code, code);
    for (const [key, value] of Object.entries(extensions))
      assert.equal(problem[key], value, `${code} ${key}`);
    assert.equal((await inventory.call('GET', `/v1/reservations/${orderId}`)).status, 404);
  }
  for (const sku of [plenty, scarce, limited]) {
    assert.equal((await inventory.product(sku)).reserved, 0, sku);
  }

  // The refused order can still reserve once the request fits.
  const orderId = uniqueOrderId();
  assert.equal((await inventory.reserve(orderId, [{ sku: scarce, quantity: 3 }])).status, 422);
  assert.equal((await inventory.reserve(orderId, [{ sku: scarce, quantity: 2 }])).status, 201);
});

test('commit without a reservation is 404 RESERVATION_NOT_FOUND; of a released one 409 RESERVATION_NOT_HELD', async () => {
  const missing = await inventory.call<ProblemJson>('POST', `/v1/reservations/${uniqueOrderId()}/commit`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'RESERVATION_NOT_FOUND');

  const sku = await inventory.createProduct({ onHand: 5 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [{ sku, quantity: 1 }]);
  await inventory.call('POST', `/v1/reservations/${orderId}/release`);
  const res = await inventory.call<ProblemJson>('POST', `/v1/reservations/${orderId}/commit`);
  assert.equal(res.status, 409);
  assert.equal(res.body.code, 'RESERVATION_NOT_HELD');
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [5, 0]);
});

test('reading an unknown reservation is 404', async () => {
  const res = await inventory.call<ProblemJson>('GET', `/v1/reservations/${uniqueOrderId()}`);
  assert.equal(res.status, 404);
  assert.equal(res.body.code, 'RESERVATION_NOT_FOUND');
});
