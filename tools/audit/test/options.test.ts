// Options: flags over the environment over the stack's env file; bad input is a usage error.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { UsageError, resolveOptions } from '../src/options';

const dir = mkdtempSync(path.join(tmpdir(), 'audit-options-'));
writeFileSync(
  path.join(dir, 'stack.env'),
  [
    '# written by the stack',
    'ORDERS_DATABASE_URL=postgres://app@127.0.0.1:1/orders',
    'INVENTORY_DATABASE_URL=postgres://app@127.0.0.1:1/inventory',
    'PAYMENTS_DATABASE_URL=postgres://app@127.0.0.1:1/payments',
    'KAFKA_BROKERS=127.0.0.1:2, 127.0.0.1:3',
    'MAILPIT_URL=http://127.0.0.1:4',
    'STRIPE_EMULATOR_URL=http://127.0.0.1:5',
  ].join('\n'),
);
const stackEnv = { STACK_DIR: dir };

test('sources come from the stack env file; a local Stripe gets the local key; defaults apply', () => {
  const { options, json } = resolveOptions([], stackEnv);
  assert.equal(json, false);
  assert.deepEqual(options.sources, {
    ordersDb: 'postgres://app@127.0.0.1:1/orders',
    inventoryDb: 'postgres://app@127.0.0.1:1/inventory',
    paymentsDb: 'postgres://app@127.0.0.1:1/payments',
    kafkaBrokers: ['127.0.0.1:2', '127.0.0.1:3'],
    mailpitUrl: 'http://127.0.0.1:4',
    stripe: { apiUrl: 'http://127.0.0.1:5', secretKey: 'sk_test_local' },
  });
  assert.equal(options.topic, 'orders.events');
  assert.equal(options.pendingRefundMinutes, 15);
  assert.equal(options.since, null);
  assert.equal(options.requireTerminal, false);
  assert.equal(options.waitTerminalSeconds, null);
});

test('the environment beats the file and flags beat both', () => {
  const { options } = resolveOptions(['--orders-db', 'postgres://flag/orders', '--json'], {
    ...stackEnv,
    ORDERS_DATABASE_URL: 'postgres://env/orders',
    MAILPIT_URL: 'http://env:8025',
  });
  assert.equal(options.sources.ordersDb, 'postgres://flag/orders');
  assert.equal(options.sources.mailpitUrl, 'http://env:8025');
});

test('scope flags are parsed; a baseline file is validated', () => {
  const baseline = path.join(dir, 'baseline.json');
  writeFileSync(baseline, JSON.stringify({ MUG: 10 }));
  const { options } = resolveOptions(
    [
      '--since',
      '2026-03-01T10:00:00Z',
      '--customer-prefix',
      'chaos-',
      '--topic',
      't',
      '--pending-refund-minutes',
      '5',
      '--stock-baseline',
      baseline,
      '--require-terminal',
      '--wait-terminal',
      '30',
    ],
    stackEnv,
  );
  assert.equal(options.since?.toISOString(), '2026-03-01T10:00:00.000Z');
  assert.equal(options.customerPrefix, 'chaos-');
  assert.equal(options.topic, 't');
  assert.equal(options.pendingRefundMinutes, 5);
  assert.deepEqual(options.stockBaseline, { MUG: 10 });
  assert.equal(options.requireTerminal, true);
  assert.equal(options.waitTerminalSeconds, 30);

  writeFileSync(baseline, JSON.stringify({ MUG: -1 }));
  assert.throws(() => resolveOptions(['--stock-baseline', baseline], stackEnv), UsageError);
});

test('usage errors: unknown flags, bad times, a missing source, real Stripe without a key', () => {
  assert.throws(() => resolveOptions(['--nope'], stackEnv), UsageError);
  assert.throws(() => resolveOptions(['--since', 'yesterday'], stackEnv), /--since must be an ISO time/);
  assert.throws(() => resolveOptions(['--wait-terminal', '-3'], stackEnv), /--wait-terminal/);
  assert.throws(() => resolveOptions([], { STACK_DIR: path.join(dir, 'none') }), /ORDERS_DATABASE_URL/);
  assert.throws(
    () => resolveOptions(['--stripe-url', 'https://api.stripe.com'], stackEnv),
    /STRIPE_SECRET_KEY is required/,
  );
  const { options } = resolveOptions(['--stripe-url', 'https://api.stripe.com'], {
    ...stackEnv,
    STRIPE_SECRET_KEY: 'rk_test_abc',
  });
  assert.deepEqual(options.sources.stripe, { apiUrl: 'https://api.stripe.com', secretKey: 'rk_test_abc' });
});
