import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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

type Reply = ReservationJson & ProblemJson;
const returnStock = (orderId: string, body?: unknown, key?: string) =>
  inventory.call<Reply>(
    'POST',
    `/v1/reservations/${orderId}/return`,
    body,
    key ? { 'idempotency-key': key } : {},
  );

/** Two products, an order of 3 + 2 committed; stock on hand 7 and 8 afterwards. */
async function committedOrder() {
  const a = await inventory.createProduct({ onHand: 10 });
  const b = await inventory.createProduct({ onHand: 10 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [
    { sku: a, quantity: 3 },
    { sku: b, quantity: 2 },
  ]);
  const commit = await inventory.call('POST', `/v1/reservations/${orderId}/commit`);
  assert.equal(commit.status, 200);
  return { a, b, orderId };
}

const onHand = async (sku: string) => (await inventory.product(sku)).onHand;

test('a full return puts all committed stock back and repeating it changes nothing', async () => {
  const { a, b, orderId } = await committedOrder();
  for (let i = 0; i < 3; i++) {
    const res = await returnStock(orderId);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'RETURNED');
    const returned = Object.fromEntries(res.body.items.map((item) => [item.sku, item.returnedQuantity]));
    assert.deepEqual(returned, { [a]: 3, [b]: 2 });
  }
  assert.equal(await onHand(a), 10);
  assert.equal(await onHand(b), 10);
});

test('a partial return with an Idempotency-Key is applied once however often it is retried', async () => {
  const { a, b, orderId } = await committedOrder();
  const key = `ret-${randomUUID()}`;
  for (let i = 0; i < 3; i++) {
    const res = await returnStock(orderId, { items: [{ sku: a, quantity: 1 }] }, key);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'COMMITTED');
    assert.equal(res.body.items.find((item) => item.sku === a)?.returnedQuantity, 1);
  }
  assert.equal(await onHand(a), 8);
  assert.equal(await onHand(b), 8);

  // Concurrent retries of one new key still return once.
  const second = `ret-${randomUUID()}`;
  await Promise.all(
    Array.from({ length: 5 }, () => returnStock(orderId, { items: [{ sku: b, quantity: 1 }] }, second)),
  );
  assert.equal(await onHand(b), 9);

  // The rest, without items: everything not yet returned goes back and the reservation closes.
  const rest = await returnStock(orderId);
  assert.equal(rest.body.status, 'RETURNED');
  assert.equal(await onHand(a), 10);
  assert.equal(await onHand(b), 10);
});

test('returning more than was committed and not yet returned is 422 RETURN_EXCEEDS_COMMITTED', async () => {
  const { a, b, orderId } = await committedOrder();
  await returnStock(orderId, { items: [{ sku: a, quantity: 2 }] }, `ret-${randomUUID()}`);

  const res = await returnStock(
    orderId,
    {
      items: [
        { sku: b, quantity: 1 },
        { sku: a, quantity: 2 },
      ],
    },
    `ret-${randomUUID()}`,
  );
  assert.equal(res.status, 422);
  assert.equal(res.body.code, 'RETURN_EXCEEDS_COMMITTED');
  assert.equal(res.body.sku, a);
  assert.equal(res.body.returnable, 1);
  // All or nothing: b was not returned either.
  assert.equal(await onHand(a), 9);
  assert.equal(await onHand(b), 8);
});

test('a partial return without an Idempotency-Key is 400 naming the header', async () => {
  const { a, orderId } = await committedOrder();
  const res = await returnStock(orderId, { items: [{ sku: a, quantity: 1 }] });
  assert.equal(res.status, 400);
  assert.equal(res.contentType, 'application/problem+json');
  assert.deepEqual(
    res.body.errors?.map((e) => e.field),
    ['Idempotency-Key'],
  );
  assert.equal(await onHand(a), 7);
});

test('one Idempotency-Key reused for a different return is 409 IDEMPOTENCY_KEY_REUSED', async () => {
  const { a, orderId } = await committedOrder();
  const key = `ret-${randomUUID()}`;
  await returnStock(orderId, { items: [{ sku: a, quantity: 1 }] }, key);
  const res = await returnStock(orderId, { items: [{ sku: a, quantity: 2 }] }, key);
  assert.equal(res.status, 409);
  assert.equal(res.body.code, 'IDEMPOTENCY_KEY_REUSED');
  assert.equal(await onHand(a), 8);
});

test('return of a HELD reservation releases it; without a reservation it leaves a tombstone', async () => {
  const sku = await inventory.createProduct({ onHand: 5 });
  const held = uniqueOrderId();
  await inventory.reserve(held, [{ sku, quantity: 2 }]);
  const res = await returnStock(held);
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'RELEASED');
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [5, 0]);

  const missing = uniqueOrderId();
  const tombstone = await returnStock(missing);
  assert.equal(tombstone.status, 200);
  assert.equal(tombstone.body.status, 'RELEASED');
  const late = await inventory.reserve(missing, [{ sku, quantity: 1 }]);
  assert.equal(late.body.code, 'RESERVATION_CLOSED');

  // Closed reservations: a no-op.
  assert.equal((await returnStock(held)).body.status, 'RELEASED');
  assert.equal((await inventory.product(sku)).onHand, 5);
});
