import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startInventory, uniqueOrderId, type Inventory } from './harness';

let inventory: Inventory;
before(async () => {
  inventory = await startInventory();
});
after(() => inventory.close());

test('20 concurrent orders for 5 units: exactly 5 are reserved, 15 are OUT_OF_STOCK', async () => {
  const sku = await inventory.createProduct({ onHand: 5 });
  const replies = await Promise.all(
    Array.from({ length: 20 }, () => inventory.reserve(uniqueOrderId(), [{ sku, quantity: 1 }])),
  );
  const created = replies.filter((r) => r.status === 201);
  const refused = replies.filter((r) => r.status === 422);
  assert.equal(created.length, 5);
  assert.equal(refused.length, 15);
  assert.ok(refused.every((r) => r.body.code === 'OUT_OF_STOCK'));

  const product = await inventory.product(sku);
  assert.deepEqual([product.onHand, product.reserved, product.available], [5, 5, 0]);
});

test('orders naming the same products in opposite orders neither deadlock nor oversell', async () => {
  const a = await inventory.createProduct({ onHand: 12 });
  const b = await inventory.createProduct({ onHand: 12 });
  const replies = await Promise.all(
    Array.from({ length: 16 }, (_, i) =>
      inventory.reserve(
        uniqueOrderId(),
        i % 2 === 0
          ? [
              { sku: a, quantity: 1 },
              { sku: b, quantity: 1 },
            ]
          : [
              { sku: b, quantity: 1 },
              { sku: a, quantity: 1 },
            ],
      ),
    ),
  );
  assert.ok(
    replies.every((r) => r.status === 201 || r.status === 422),
    JSON.stringify(replies.map((r) => r.status)),
  );
  const reservedOrders = replies.filter((r) => r.status === 201).length;
  assert.equal(reservedOrders, 12);
  for (const sku of [a, b]) {
    const product = await inventory.product(sku);
    assert.deepEqual([product.reserved, product.available], [12, 0]);
  }
});

test('concurrent commits, releases and reserves keep stock conserved and never negative', async () => {
  const sku = await inventory.createProduct({ onHand: 10 });
  const orderIds = Array.from({ length: 10 }, uniqueOrderId);
  await Promise.all(orderIds.map((orderId) => inventory.reserve(orderId, [{ sku, quantity: 1 }])));
  const [toCommit, toRelease] = [orderIds.slice(0, 6), orderIds.slice(6)];
  const late = Array.from({ length: 6 }, uniqueOrderId);
  await Promise.all([
    ...toCommit.map((orderId) => inventory.call('POST', `/v1/reservations/${orderId}/commit`)),
    ...toRelease.map((orderId) => inventory.call('POST', `/v1/reservations/${orderId}/release`)),
    ...late.map((orderId) => inventory.reserve(orderId, [{ sku, quantity: 1 }])),
  ]);
  const product = await inventory.product(sku);
  // 6 left for good; whichever late orders got a unit hold it.
  assert.equal(product.onHand, 4);
  assert.ok(product.reserved >= 0 && product.reserved <= 4);
  const lateHeld = (
    await Promise.all(late.map((orderId) => inventory.call('GET', `/v1/reservations/${orderId}`)))
  ).filter((r) => r.status === 200).length;
  assert.equal(product.reserved, lateHeld);
});
