// The two Stripe list calls the audit makes, with the audit's own parameter builders: stripe-mock
// (Stripe's OpenAPI-checked mock) accepts them, so real Stripe test mode will too, and the
// emulator answers them with the objects of the account that made them.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { intentListParams, readStripe, refundListParams, stripeClient } from '../src/collect/stripe';
import { stackVar } from './system';

test('stripe-mock accepts the list requests the audit sends', async () => {
  const mock = stripeClient({ apiUrl: stackVar('STRIPE_MOCK_URL'), secretKey: 'sk_test_123' });
  const since = new Date();
  for (const params of [intentListParams(since), intentListParams(null)]) {
    const page = await mock.paymentIntents.list(params);
    assert.equal(page.object, 'list');
  }
  for (const params of [refundListParams(since), refundListParams(null)]) {
    const page = await mock.refunds.list(params);
    assert.equal(page.object, 'list');
  }
});

test('readStripe collects the intents of the orders asked for, and their refunds', async () => {
  const source = {
    apiUrl: stackVar('STRIPE_EMULATOR_URL'),
    secretKey: `sk_test_audit_${randomUUID().replaceAll('-', '')}`,
  };
  const stripe = stripeClient(source);
  const since = new Date(Date.now() - 1_000);
  const mine = `order-${randomUUID()}`;
  const other = `order-${randomUUID()}`;
  const make = async (orderId: string) => {
    const intent = await stripe.paymentIntents.create({
      amount: 2500,
      currency: 'eur',
      capture_method: 'manual',
      confirm: true,
      payment_method: 'pm_card_visa',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: { orderId },
    });
    return stripe.paymentIntents.capture(intent.id);
  };
  const captured = await make(mine);
  await make(other);
  await stripe.refunds.create({ payment_intent: captured.id, amount: 400, metadata: { refundKey: 'k-1' } });

  const { intents, refunds } = await readStripe(source, since, (orderId) => orderId === mine);
  assert.deepEqual(
    intents.map((i) => ({ id: i.id, orderId: i.orderId, amountReceived: i.amountReceived })),
    [{ id: captured.id, orderId: mine, amountReceived: 2500 }],
  );
  assert.deepEqual(
    refunds.map((r) => ({ intent: r.paymentIntentId, amount: r.amount, status: r.status, key: r.refundKey })),
    [{ intent: captured.id, amount: 400, status: 'succeeded', key: 'k-1' }],
  );
  // Objects from before the scope are not listed.
  assert.deepEqual((await readStripe(source, new Date(Date.now() + 120_000), () => true)).intents, []);
});
