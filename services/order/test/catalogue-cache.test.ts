// The placement's catalogue cache: pure logic, so a counting catalogue stands in for inventory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CatalogueProduct } from '@orders/orchestrator/shared';
import { cachedCatalogue } from '../src/adapters/inventory-catalogue';
import type { Catalogue } from '../src/domain/catalogue';

const product = (sku: string, unitPrice = 1299): CatalogueProduct => ({
  sku,
  name: sku,
  unitPrice,
  currency: 'eur',
  maxPerOrder: 5,
});

function countingCatalogue(known: Map<string, CatalogueProduct>) {
  const asked: string[][] = [];
  const catalogue: Catalogue = {
    products: async (skus) => {
      asked.push(skus);
      return skus.flatMap((sku) => {
        const found = known.get(sku);
        return found ? [found] : [];
      });
    },
  };
  return { catalogue, asked };
}

test('products are reused until their time is up, then asked for again', async () => {
  const known = new Map([
    ['MUG', product('MUG')],
    ['TEE', product('TEE', 2500)],
  ]);
  const { catalogue, asked } = countingCatalogue(known);
  let clock = 0;
  const cached = cachedCatalogue(catalogue, { ttlMs: 5_000, now: () => clock });

  assert.deepEqual(await cached.products(['MUG', 'TEE']), [product('MUG'), product('TEE', 2500)]);
  clock = 4_999;
  assert.deepEqual(await cached.products(['TEE']), [product('TEE', 2500)]);
  assert.equal(asked.length, 1, 'served from the cache');

  known.set('TEE', product('TEE', 2700));
  clock = 5_001;
  assert.deepEqual(await cached.products(['TEE']), [product('TEE', 2700)], 'the new price after expiry');
  assert.equal(asked.length, 2);
});

test('a SKU the catalogue does not know is asked for every time', async () => {
  const { catalogue, asked } = countingCatalogue(new Map([['MUG', product('MUG')]]));
  const cached = cachedCatalogue(catalogue, { ttlMs: 5_000, now: () => 0 });
  assert.deepEqual(await cached.products(['MUG', 'NOPE']), [product('MUG')]);
  assert.deepEqual(await cached.products(['MUG', 'NOPE']), [product('MUG')]);
  assert.equal(asked.length, 2);
});

test('a TTL of 0 turns the cache off', async () => {
  const { catalogue, asked } = countingCatalogue(new Map([['MUG', product('MUG')]]));
  const cached = cachedCatalogue(catalogue, { ttlMs: 0 });
  await cached.products(['MUG']);
  await cached.products(['MUG']);
  assert.equal(asked.length, 2);
});
