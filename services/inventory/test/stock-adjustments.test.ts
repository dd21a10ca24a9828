// Stock adjusted by a delta: idempotent by key, never below what is reserved, and safe against
// the reservations and commits running at the same time.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  startInventory,
  uniqueOrderId,
  uniqueSku,
  type Inventory,
  type ProblemJson,
  type ProductJson,
} from './harness';

interface AdjustmentJson {
  adjustment: { sku: string; delta: number; reason: string; onHandAfter: number; createdAt: string };
  product: ProductJson;
}

let inventory: Inventory;
before(async () => {
  inventory = await startInventory();
});
after(() => inventory.close());

const adjust = (sku: string, body: unknown, key: string | null = randomUUID()) =>
  inventory.call<AdjustmentJson & ProblemJson>(
    'POST',
    `/v1/products/${sku}/stock-adjustments`,
    body,
    key === null ? {} : { 'idempotency-key': key },
  );

test('an adjustment moves on hand by its delta; the same key again is the same adjustment, applied once', async () => {
  const sku = await inventory.createProduct({ onHand: 10 });
  const key = randomUUID();
  const received = await adjust(sku, { delta: 5, reason: 'delivery 4711' }, key);
  assert.equal(received.status, 201, JSON.stringify(received.body));
  assert.equal(received.headers.get('idempotent-replayed'), 'false');
  assert.deepEqual(
    [received.body.adjustment.delta, received.body.adjustment.onHandAfter, received.body.product.onHand],
    [5, 15, 15],
  );
  assert.equal(received.headers.get('etag'), `"${received.body.product.version}"`);

  const replay = await adjust(sku, { delta: 5, reason: 'delivery 4711' }, key);
  assert.equal(replay.status, 200);
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(replay.body.adjustment, received.body.adjustment);
  assert.equal((await inventory.product(sku)).onHand, 15);

  const reused = await adjust(sku, { delta: 50, reason: 'delivery 4711' }, key);
  assert.equal(reused.status, 409);
  assert.equal(reused.body.code, 'IDEMPOTENCY_KEY_REUSED');

  const writeOff = await adjust(sku, { delta: -4, reason: 'damaged in the warehouse' });
  assert.equal(writeOff.status, 201);
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.available]), [11, 11]);
});

test('an adjustment below what is reserved is 409 STOCK_BELOW_RESERVED and changes nothing', async () => {
  const sku = await inventory.createProduct({ onHand: 10 });
  await inventory.reserve(uniqueOrderId(), [{ sku, quantity: 7 }]);
  const before = await inventory.product(sku);
  const key = randomUUID();
  const refused = await adjust(sku, { delta: -4, reason: 'count' }, key);
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'STOCK_BELOW_RESERVED');
  assert.equal(refused.body.reserved, 7);
  assert.deepEqual(await inventory.product(sku), before);
  // The refusal did not spend the key: once stock allows, the same request applies.
  assert.equal((await adjust(sku, { delta: -3, reason: 'count' })).status, 201);
  assert.equal((await inventory.product(sku)).available, 0);
  assert.equal((await adjust(sku, { delta: 1, reason: 'count' }, key)).status, 201);
});

test('bad adjustments are 400 naming the field; an unknown product is 404', async () => {
  const sku = await inventory.createProduct({ onHand: 1 });
  const zero = await adjust(sku, { delta: 0, reason: 'nothing' });
  assert.equal(zero.status, 400);
  assert.equal(zero.body.errors?.[0]?.field, 'delta');
  const fraction = await adjust(sku, { delta: 1.5, reason: 'x' });
  assert.equal(fraction.status, 400);
  const noReason = await adjust(sku, { delta: 1, reason: '  ' });
  assert.equal(noReason.body.errors?.[0]?.field, 'reason');
  const noKey = await adjust(sku, { delta: 1, reason: 'x' }, null);
  assert.equal(noKey.status, 400);
  assert.equal(noKey.body.errors?.[0]?.field, 'Idempotency-Key');
  const huge = await adjust(sku, { delta: 1_000_000_000, reason: 'x' });
  assert.equal(huge.status, 422);
  assert.equal(huge.body.code, 'STOCK_LIMIT');
  const unknown = await adjust(uniqueSku(), { delta: 1, reason: 'x' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.code, 'PRODUCT_NOT_FOUND');
  assert.equal((await inventory.product(sku)).onHand, 1);
});

test('concurrent reservations, commits, releases and adjustments never oversell and conserve stock', async () => {
  const sku = await inventory.createProduct({ onHand: 20 });
  const orders = Array.from({ length: 30 }, uniqueOrderId);
  const deltas = [-3, +2, -5, +1, -4, -2, +3, -6, -1, +2, -3, -2];
  const [reserved, adjusted] = await Promise.all([
    Promise.all(
      orders.map(async (orderId, i) => {
        const reply = await inventory.reserve(orderId, [{ sku, quantity: 1 }]);
        if (reply.status !== 201) return { reply, outcome: 'refused' as const };
        // Two in three leave the warehouse; the rest are given back.
        const action = i % 3 === 2 ? 'release' : 'commit';
        const done = await inventory.call('POST', `/v1/reservations/${orderId}/${action}`);
        assert.equal(done.status, 200);
        return { reply, outcome: action };
      }),
    ),
    Promise.all(deltas.map((delta) => adjust(sku, { delta, reason: `concurrent ${delta}` }))),
  ]);

  for (const { reply, outcome } of reserved)
    if (outcome === 'refused') assert.equal(reply.body.code, 'OUT_OF_STOCK', JSON.stringify(reply.body));
  for (const reply of adjusted)
    assert.ok(
      reply.status === 201 || (reply.status === 409 && reply.body.code === 'STOCK_BELOW_RESERVED'),
      JSON.stringify(reply.body),
    );
  const committed = reserved.filter((r) => r.outcome === 'commit').length;
  const applied = adjusted
    .filter((r) => r.status === 201)
    .reduce((sum, r) => sum + r.body.adjustment.delta, 0);
  const product = await inventory.product(sku);
  // Every unit accounted for: what was there, plus what was adjusted, less what left.
  assert.equal(product.onHand, 20 + applied - committed);
  assert.equal(product.reserved, 0);
  assert.ok(product.onHand >= 0);
  // The adjustments' recorded results are a consistent history: each applied on the one before.
  const { rows } = await inventory.pool.query<{ n: string }>(
    'SELECT count(*) AS n FROM stock_adjustments WHERE sku = $1',
    [sku],
  );
  assert.equal(Number(rows[0]?.n), adjusted.filter((r) => r.status === 201).length);
});

test('every change to a product moves its version: a hold, a commit, an adjustment', async () => {
  const sku = await inventory.createProduct({ onHand: 5 });
  const versions = [(await inventory.product(sku)).version];
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [{ sku, quantity: 1 }]);
  versions.push((await inventory.product(sku)).version);
  await inventory.call('POST', `/v1/reservations/${orderId}/commit`);
  versions.push((await inventory.product(sku)).version);
  await adjust(sku, { delta: 1, reason: 'found one' });
  versions.push((await inventory.product(sku)).version);
  assert.deepEqual(
    versions,
    [...versions].sort((a, b) => a - b),
  );
  assert.equal(new Set(versions).size, versions.length);
});
