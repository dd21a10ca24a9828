// The order service fails closed: without NODE_ENV=development it needs real secrets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEV_INTERNAL_API_TOKEN } from '@orders/platform';
import { DEV_JWT_SECRET } from '../src/auth/tokens';
import { loadOrderServiceConfig } from '../src/config';

// Production refuses plain-text links: these name TLS ones (no file is read at load).
const database = {
  ORDERS_DATABASE_URL: 'postgres://orders@db/orders?sslmode=verify-full',
  TEMPORAL_TLS: 'true',
};

test('with NODE_ENV unset, missing secrets stop start-up, each named', () => {
  assert.throws(
    () => loadOrderServiceConfig(database),
    (err: Error) =>
      /JWT_SECRET: required/.test(err.message) && /INTERNAL_API_TOKEN: required/.test(err.message),
  );
});

test('production refuses the public development secret and token', () => {
  assert.throws(
    () =>
      loadOrderServiceConfig({
        ...database,
        NODE_ENV: 'production',
        JWT_SECRET: DEV_JWT_SECRET,
        INTERNAL_API_TOKEN: DEV_INTERNAL_API_TOKEN,
      }),
    (err: Error) =>
      /JWT_SECRET: is the public development value/.test(err.message) &&
      /INTERNAL_API_TOKEN: is the public development value/.test(err.message),
  );
  const config = loadOrderServiceConfig({
    ...database,
    JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
    INTERNAL_API_TOKEN: 'a-production-internal-token',
  });
  assert.equal(config.NODE_ENV, 'production');
  assert.equal(config.JWT_MAX_LIFETIME_SECONDS, 24 * 3600);
});

test('development, asked for by name, runs on the development defaults', () => {
  const config = loadOrderServiceConfig({ ...database, NODE_ENV: 'development' });
  assert.deepEqual([config.JWT_SECRET, config.INTERNAL_API_TOKEN], [DEV_JWT_SECRET, DEV_INTERNAL_API_TOKEN]);
});
