import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SEED_CATALOGUE, seedCatalogue } from '../src/data-access/seed-catalogue';
import {
  startInventory,
  uniqueOrderId,
  uniqueSku,
  type Inventory,
  type ProblemJson,
  type ProductJson,
} from './harness';

let inventory: Inventory;
before(async () => {
  inventory = await startInventory();
});
after(() => inventory.close());

test('PUT creates a product (201), then replaces it at the version it read (200); GET reads it', async () => {
  const sku = uniqueSku();
  const body = { name: 'Green scarf', unitPrice: 2999, currency: 'eur', onHand: 40 };
  const created = await inventory.call<ProductJson>('PUT', `/v1/products/${sku}`, body);
  assert.equal(created.status, 201);
  assert.deepEqual(created.body, {
    sku,
    name: 'Green scarf',
    unitPrice: 2999,
    currency: 'eur',
    onHand: 40,
    reserved: 0,
    available: 40,
    maxPerOrder: 100,
    version: 1,
  });
  assert.equal(created.headers.get('etag'), '"1"');

  const read = await inventory.call<ProductJson>('GET', `/v1/products/${sku}`);
  assert.equal(read.headers.get('etag'), '"1"');
  const updated = await inventory.call<ProductJson>(
    'PUT',
    `/v1/products/${sku}`,
    { ...body, unitPrice: 2499, onHand: 35, maxPerOrder: 4 },
    { 'if-match': read.headers.get('etag') ?? '' },
  );
  assert.equal(updated.status, 200);
  assert.deepEqual(
    [updated.body.unitPrice, updated.body.onHand, updated.body.maxPerOrder, updated.body.version],
    [2499, 35, 4, 2],
  );
  assert.equal(updated.headers.get('etag'), '"2"');
  assert.deepEqual(await inventory.product(sku), updated.body);
});

test('a PUT over an existing product without its version is 428 and changes nothing', async () => {
  const sku = await inventory.createProduct({ onHand: 10 });
  const before = await inventory.product(sku);
  const body = { name: 'Blind write', unitPrice: 1, currency: 'eur', onHand: 500 };
  const blind = await inventory.call<ProblemJson>('PUT', `/v1/products/${sku}`, body);
  assert.equal(blind.status, 428);
  assert.equal(blind.contentType, 'application/problem+json');
  assert.equal(blind.body.code, 'VERSION_REQUIRED');
  // If-Match: * ("whatever it is now") is a blind write too.
  const star = await inventory.call<ProblemJson>('PUT', `/v1/products/${sku}`, body, { 'if-match': '*' });
  assert.equal(star.status, 400);
  assert.equal(star.body.errors?.[0]?.field, 'If-Match');
  const createOnly = await inventory.call<ProblemJson>('PUT', `/v1/products/${sku}`, body, {
    'if-none-match': '*',
  });
  assert.equal(createOnly.status, 412);
  assert.equal(createOnly.body.code, 'PRODUCT_EXISTS');
  assert.deepEqual(await inventory.product(sku), before);
});

test('a PUT at a stale version is 412 VERSION_MISMATCH: a commit in between is not overwritten', async () => {
  const sku = await inventory.createProduct({ onHand: 10 });
  const read = await inventory.product(sku);
  // An order takes and commits 3 units after the read.
  const orderId = uniqueOrderId();
  assert.equal((await inventory.reserve(orderId, [{ sku, quantity: 3 }])).status, 201);
  assert.equal((await inventory.call('POST', `/v1/reservations/${orderId}/commit`)).status, 200);
  // The writer meant "10 + 5 received": written absolutely it would resurrect the 3 that left.
  const stale = await inventory.call<ProblemJson>(
    'PUT',
    `/v1/products/${sku}`,
    { name: read.name, unitPrice: read.unitPrice, currency: read.currency, onHand: 15 },
    { 'if-match': `"${read.version}"` },
  );
  assert.equal(stale.status, 412);
  assert.equal(stale.body.code, 'VERSION_MISMATCH');
  assert.equal(stale.body.expectedVersion, read.version);
  const now = await inventory.product(sku);
  assert.equal(stale.body.currentVersion, now.version);
  assert.deepEqual([now.onHand, now.reserved], [7, 0]);
  // Unknown product with If-Match: nothing to match.
  const missing = await inventory.call<ProblemJson>(
    'PUT',
    `/v1/products/${uniqueSku()}`,
    { name: 'x', unitPrice: 1, currency: 'eur', onHand: 1 },
    { 'if-match': '"1"' },
  );
  assert.equal(missing.status, 412);
  assert.equal(missing.body.currentVersion, null);
});

test('GET of an unknown product is 404 problem+json', async () => {
  const res = await inventory.call<ProblemJson>('GET', `/v1/products/${uniqueSku()}`);
  assert.equal(res.status, 404);
  assert.equal(res.contentType, 'application/problem+json');
  assert.equal(res.body.code, 'PRODUCT_NOT_FOUND');
});

test('listing by skus returns the known ones; without skus, products ordered by sku', async () => {
  const a = await inventory.createProduct({ onHand: 1 });
  const b = await inventory.createProduct({ onHand: 2 });
  const unknown = uniqueSku();
  const some = await inventory.call<{ items: ProductJson[] }>(
    'GET',
    `/v1/products?skus=${b},${unknown},${a}`,
  );
  assert.equal(some.status, 200);
  assert.deepEqual(
    some.body.items.map((p) => p.sku),
    [a, b].sort(),
  );

  const all = await inventory.call<{ items: ProductJson[] }>('GET', '/v1/products');
  assert.equal(all.status, 200);
  assert.ok(all.body.items.length > 0 && all.body.items.length <= 500);
  const skus = all.body.items.map((p) => p.sku);
  assert.deepEqual(skus, [...skus].sort());
});

test('setting on hand below what is reserved is 409 STOCK_BELOW_RESERVED and changes nothing', async () => {
  const sku = await inventory.createProduct({ onHand: 10 });
  await inventory.reserve(uniqueOrderId(), [{ sku, quantity: 6 }]);
  const body = { name: 'x', unitPrice: 1000, currency: 'eur' };

  const atVersion = async () => ({ 'if-match': `"${(await inventory.product(sku)).version}"` });

  const res = await inventory.call<ProblemJson>(
    'PUT',
    `/v1/products/${sku}`,
    { ...body, onHand: 5 },
    await atVersion(),
  );
  assert.equal(res.status, 409);
  assert.equal(res.body.code, 'STOCK_BELOW_RESERVED');
  assert.equal(res.body.reserved, 6);
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [10, 6]);

  const put = await inventory.call('PUT', `/v1/products/${sku}`, { ...body, onHand: 6 }, await atVersion());
  assert.equal(put.status, 200);
  assert.equal((await inventory.product(sku)).available, 0);
});

test('the database itself refuses oversold or negative stock', async () => {
  const sku = await inventory.createProduct({ onHand: 3 });
  await assert.rejects(inventory.pool.query('UPDATE products SET reserved = 4 WHERE sku = $1', [sku]), {
    constraint: 'products_reserved_within_on_hand',
  });
  await assert.rejects(inventory.pool.query('UPDATE products SET on_hand = -1 WHERE sku = $1', [sku]), {
    code: '23514',
  });
});

test('seeding inserts missing products and never resets existing stock', async () => {
  const sku = uniqueSku('SEED');
  const catalogue = [{ sku, name: 'Seeded', unitPrice: 500, currency: 'eur', onHand: 9, maxPerOrder: 100 }];
  assert.equal(await seedCatalogue(inventory.pool, catalogue), 1);
  await inventory.reserve(uniqueOrderId(), [{ sku, quantity: 2 }]);
  assert.equal(await seedCatalogue(inventory.pool, catalogue), 0);
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [9, 2]);

  // The default catalogue is there after a seed, whatever its stock has become since.
  await seedCatalogue(inventory.pool);
  const seeded = await inventory.call<{ items: ProductJson[] }>(
    'GET',
    `/v1/products?skus=${SEED_CATALOGUE.map((p) => p.sku).join(',')}`,
  );
  assert.equal(seeded.body.items.length, SEED_CATALOGUE.length);
  assert.equal(seeded.body.items.find((p) => p.sku === 'LIMITED-PRINT')?.unitPrice, 9999);
});
