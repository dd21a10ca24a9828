import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  startInventory,
  uniqueOrderId,
  type Inventory,
  type ProblemJson,
  type ReservationJson,
} from './harness';

let inventory: Inventory;
before(async () => {
  inventory = await startInventory();
});
after(() => inventory.close());

const release = (orderId: string) =>
  inventory.call<ReservationJson & ProblemJson>('POST', `/v1/reservations/${orderId}/release`);

test('release gives held stock back, and releasing again is a harmless no-op', async () => {
  const a = await inventory.createProduct({ onHand: 8 });
  const b = await inventory.createProduct({ onHand: 8 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [
    { sku: a, quantity: 3 },
    { sku: b, quantity: 5 },
  ]);
  assert.equal((await inventory.product(b)).available, 3);

  for (let i = 0; i < 3; i++) {
    const res = await release(orderId);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'RELEASED');
    assert.equal(res.body.items.length, 2);
  }
  for (const sku of [a, b]) {
    assert.deepEqual(
      await inventory.product(sku).then((p) => [p.onHand, p.reserved, p.available]),
      [8, 0, 8],
    );
  }
});

test('release without a reservation leaves a tombstone, and a late reserve is refused with RESERVATION_CLOSED', async () => {
  const sku = await inventory.createProduct({ onHand: 4 });
  const orderId = uniqueOrderId();

  const res = await release(orderId);
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'RELEASED');
  assert.deepEqual(res.body.items, []);

  const late = await inventory.reserve(orderId, [{ sku, quantity: 1 }]);
  assert.equal(late.status, 409);
  assert.equal(late.body.code, 'RESERVATION_CLOSED');
  assert.equal((await inventory.product(sku)).reserved, 0);

  assert.equal((await release(orderId)).status, 200);
  const read = await inventory.call<ReservationJson>('GET', `/v1/reservations/${orderId}`);
  assert.equal(read.body.status, 'RELEASED');
});

test('a reserve replayed after its release is refused: compensated stock is never held again', async () => {
  const sku = await inventory.createProduct({ onHand: 4 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [{ sku, quantity: 2 }]);
  await release(orderId);
  const replay = await inventory.reserve(orderId, [{ sku, quantity: 2 }]);
  assert.equal(replay.status, 409);
  assert.equal(replay.body.code, 'RESERVATION_CLOSED');
  assert.equal((await inventory.product(sku)).reserved, 0);
});

test('release of a committed reservation is 409 RESERVATION_COMMITTED and changes nothing', async () => {
  const sku = await inventory.createProduct({ onHand: 6 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [{ sku, quantity: 2 }]);
  await inventory.call('POST', `/v1/reservations/${orderId}/commit`);

  const res = await release(orderId);
  assert.equal(res.status, 409);
  assert.equal(res.contentType, 'application/problem+json');
  assert.equal(res.body.code, 'RESERVATION_COMMITTED');
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [4, 0]);
});

test('concurrent release and reserve for one order never leave stock held by a released order', async () => {
  const sku = await inventory.createProduct({ onHand: 20 });
  const orderIds = Array.from({ length: 6 }, uniqueOrderId);
  await Promise.all(
    orderIds.flatMap((orderId) => [inventory.reserve(orderId, [{ sku, quantity: 2 }]), release(orderId)]),
  );
  const statuses = await Promise.all(
    orderIds.map((orderId) => inventory.call<ReservationJson>('GET', `/v1/reservations/${orderId}`)),
  );
  const held = statuses.filter((r) => r.body.status === 'HELD').length;
  assert.ok(statuses.every((r) => ['HELD', 'RELEASED'].includes(r.body.status)));
  assert.equal((await inventory.product(sku)).reserved, held * 2);
});
