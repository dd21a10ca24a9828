// The inventory service fails closed: the demo catalogue is seeded only in development.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadInventoryConfig } from '../src/config';

const env = { INVENTORY_DATABASE_URL: 'postgres://inventory@db/inventory?sslmode=verify-full' };

test('production needs the internal token and seeds no demo catalogue', () => {
  assert.throws(() => loadInventoryConfig(env), /INTERNAL_API_TOKEN: required/);
  const config = loadInventoryConfig({ ...env, INTERNAL_API_TOKEN: 'a-production-internal-token' });
  assert.equal(config.SEED_CATALOGUE, false);
});

test('development seeds the demo catalogue unless told otherwise', () => {
  assert.equal(loadInventoryConfig({ ...env, NODE_ENV: 'development' }).SEED_CATALOGUE, true);
  assert.equal(
    loadInventoryConfig({ ...env, NODE_ENV: 'test', SEED_CATALOGUE: 'false' }).SEED_CATALOGUE,
    false,
  );
});
