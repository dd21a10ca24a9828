// The payment service fails closed: the dummy Stripe key is a development default only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPaymentConfig } from '../src/config';

const env = {
  PAYMENTS_DATABASE_URL: 'postgres://payments@db/payments?sslmode=verify-full',
  INTERNAL_API_TOKEN: 'a-production-internal-token',
};

test('outside development the Stripe key must be set, and not to the local dummy', () => {
  assert.throws(() => loadPaymentConfig(env), /STRIPE_SECRET_KEY: required/);
  assert.throws(
    () => loadPaymentConfig({ ...env, STRIPE_SECRET_KEY: 'sk_test_local' }),
    /STRIPE_SECRET_KEY: is the public development value/,
  );
  assert.equal(
    loadPaymentConfig({ ...env, STRIPE_SECRET_KEY: 'sk_live_real' }).STRIPE_SECRET_KEY,
    'sk_live_real',
  );
});

test('development gets the dummy key for the local Stripe emulator', () => {
  assert.equal(loadPaymentConfig({ ...env, NODE_ENV: 'development' }).STRIPE_SECRET_KEY, 'sk_test_local');
});
