import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { createLogger } from '@orders/platform';
import { startExpirySweeper, sweepExpiredReservations } from '../src/expiry-sweeper';
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

test('a HELD reservation past its ttl expires on the sweep and its stock comes back', async () => {
  const sku = await inventory.createProduct({ onHand: 6 });
  const shortLived = uniqueOrderId();
  const longLived = uniqueOrderId();
  assert.equal((await inventory.reserve(shortLived, [{ sku, quantity: 2 }], 1)).status, 201);
  assert.equal((await inventory.reserve(longLived, [{ sku, quantity: 3 }])).status, 201);
  assert.equal((await inventory.product(sku)).reserved, 5);

  await sleep(1_500);
  // Not a count: another inventory process on this database (the test stack's own, with its
  // background sweeper) may have expired it first; what must hold is the state below.
  await sweepExpiredReservations(inventory.pool);

  const expired = await inventory.call<ReservationJson>('GET', `/v1/reservations/${shortLived}`);
  assert.equal(expired.body.status, 'EXPIRED');
  const live = await inventory.call<ReservationJson>('GET', `/v1/reservations/${longLived}`);
  assert.equal(live.body.status, 'HELD');
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [6, 3]);

  // A second sweep finds nothing of this order to do again.
  await sweepExpiredReservations(inventory.pool);
  assert.equal((await inventory.product(sku)).reserved, 3);
});

test('an expired reservation can be neither committed nor reserved again, and release is a no-op', async () => {
  const sku = await inventory.createProduct({ onHand: 2 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [{ sku, quantity: 2 }], 1);
  await sleep(1_500);
  await sweepExpiredReservations(inventory.pool);

  const commit = await inventory.call<ProblemJson>('POST', `/v1/reservations/${orderId}/commit`);
  assert.equal(commit.status, 409);
  assert.equal(commit.body.code, 'RESERVATION_NOT_HELD');
  const replay = await inventory.reserve(orderId, [{ sku, quantity: 2 }]);
  assert.equal(replay.status, 409);
  assert.equal(replay.body.code, 'RESERVATION_CLOSED');
  const release = await inventory.call<ReservationJson>('POST', `/v1/reservations/${orderId}/release`);
  assert.equal(release.status, 200);
  assert.equal(release.body.status, 'EXPIRED');
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [2, 0]);
});

test('concurrent sweeps expire each reservation once', async () => {
  const sku = await inventory.createProduct({ onHand: 30 });
  const orderIds = Array.from({ length: 10 }, uniqueOrderId);
  for (const orderId of orderIds) await inventory.reserve(orderId, [{ sku, quantity: 3 }], 1);
  await sleep(1_500);
  await Promise.all([
    sweepExpiredReservations(inventory.pool, 3),
    sweepExpiredReservations(inventory.pool, 3),
    sweepExpiredReservations(inventory.pool, 3),
  ]);
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [30, 0]);
});

test('the background sweeper expires reservations on its own and stops cleanly', async () => {
  const sku = await inventory.createProduct({ onHand: 3 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [{ sku, quantity: 3 }], 1);
  const sweeper = startExpirySweeper(inventory.pool, 100, createLogger('inventory-test', 'silent'));
  try {
    let status = 'HELD';
    // Polls with a generous bound: the assertion is that it happens, not how fast.
    for (let i = 0; i < 100 && status === 'HELD'; i++) {
      await sleep(200);
      status = (await inventory.call<ReservationJson>('GET', `/v1/reservations/${orderId}`)).body.status;
    }
    assert.equal(status, 'EXPIRED');
    assert.equal((await inventory.product(sku)).available, 3);
  } finally {
    await sweeper.stop();
  }
});

test('a pinned hold outlives its ttl: the sweep leaves it and the saga can still commit it', async () => {
  const sku = await inventory.createProduct({ onHand: 4 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [{ sku, quantity: 3 }], 2);
  // Pinned within its ttl (the saga pins before it captures). Pinning only after the deadline
  // would race every sweeper on this database: the stack's and other tests' inventory services
  // sweep it too, and an unpinned hold past its deadline is theirs to expire.
  const pinned = await inventory.call<ReservationJson & { pinned: boolean }>(
    'POST',
    `/v1/reservations/${orderId}/pin`,
  );
  assert.deepEqual([pinned.status, pinned.body.status, pinned.body.pinned], [200, 'HELD', true]);
  await sleep(2_500);
  await sweepExpiredReservations(inventory.pool);
  const after = await inventory.call<ReservationJson>('GET', `/v1/reservations/${orderId}`);
  assert.equal(after.body.status, 'HELD');
  // Pinning again is harmless (a retried activity).
  assert.equal((await inventory.call('POST', `/v1/reservations/${orderId}/pin`)).status, 200);
  const commit = await inventory.call<ReservationJson>('POST', `/v1/reservations/${orderId}/commit`);
  assert.deepEqual([commit.status, commit.body.status], [200, 'COMMITTED']);
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [1, 0]);
});

test('an expired hold cannot be pinned: 409 RESERVATION_EXPIRED, so no capture follows it', async () => {
  const sku = await inventory.createProduct({ onHand: 2 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [{ sku, quantity: 2 }], 1);
  await sleep(1_500);
  await sweepExpiredReservations(inventory.pool);
  const pin = await inventory.call<ProblemJson>('POST', `/v1/reservations/${orderId}/pin`);
  assert.deepEqual([pin.status, pin.body.code], [409, 'RESERVATION_EXPIRED']);
  const missing = await inventory.call<ProblemJson>('POST', `/v1/reservations/${uniqueOrderId()}/pin`);
  assert.deepEqual([missing.status, missing.body.code], [404, 'RESERVATION_NOT_FOUND']);
});
