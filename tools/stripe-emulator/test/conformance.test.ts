// The payment service's Stripe calls, sent to stripe-mock (Stripe's own API mock, which checks
// every request against Stripe's OpenAPI spec): if it accepts them, their shape is a valid
// Stripe request. The parameters come from the service's own builders, so this tests exactly
// what the service sends; the emulator is then held to accepting the same requests.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  authorizeParams,
  cancelParams,
  captureParams,
  refundParams,
} from '../../../services/payment/src/adapters/stripe/stripe-requests';
import { sdkFor, startTestEmulator, uniqueOrderId, type Stripe, type TestEmulator } from './support';

const mockUrl = process.env.STRIPE_MOCK_URL;
if (!mockUrl) throw new Error('STRIPE_MOCK_URL is not set: source the stack env (.stack/dev/stack.env)');

let emulator: TestEmulator;
before(async () => {
  emulator = await startTestEmulator();
});
after(() => emulator.emulator.close());

const authorization = (orderId: string) => ({
  orderId,
  customerId: 'customer-1',
  amount: 4250,
  currency: 'eur',
  paymentMethod: 'pm_card_visa',
});

/** Runs every call the service makes; any 4xx rejects and fails the test. */
async function serviceCalls(stripe: Stripe, orderId: string) {
  const key = (step: string) => `${orderId}:${step}`;
  const authorized = await stripe.paymentIntents.create(authorizeParams(authorization(orderId)), {
    idempotencyKey: key('authorize'),
  });
  const captured = await stripe.paymentIntents.capture(authorized.id, captureParams(), {
    idempotencyKey: key('capture'),
  });
  const refund = await stripe.refunds.create(
    refundParams({
      paymentIntentId: authorized.id,
      orderId,
      amount: 1000,
      reason: 'customer changed their mind',
      refundKey: key('refund:1'),
    }),
    { idempotencyKey: key('refund:1') },
  );
  // How a pending refund is looked up by its key (the payment service's findRefund).
  const listed = await stripe.refunds.list({ payment_intent: authorized.id, limit: 100 });
  const retrieved = await stripe.paymentIntents.retrieve(authorized.id);
  const other = await stripe.paymentIntents.create(authorizeParams(authorization(`${orderId}-b`)), {
    idempotencyKey: key('authorize-b'),
  });
  const canceled = await stripe.paymentIntents.cancel(other.id, cancelParams(), {
    idempotencyKey: key('void'),
  });
  return { authorized, captured, refund, listed, retrieved, canceled };
}

test('stripe-mock accepts every request the payment service sends', async () => {
  const calls = await serviceCalls(sdkFor(mockUrl, 'sk_test_conformance'), uniqueOrderId());
  assert.equal(calls.authorized.object, 'payment_intent');
  assert.equal(calls.captured.object, 'payment_intent');
  assert.equal(calls.refund.object, 'refund');
  assert.equal(calls.listed.object, 'list');
  assert.equal(calls.canceled.object, 'payment_intent');
});

test('the emulator accepts the same requests and acts them out', async () => {
  const orderId = uniqueOrderId();
  const calls = await serviceCalls(emulator.stripe, orderId);
  assert.equal(calls.authorized.status, 'requires_capture');
  assert.equal(calls.captured.status, 'succeeded');
  assert.equal(calls.refund.amount, 1000);
  assert.deepEqual(calls.refund.metadata, {
    orderId,
    refundKey: `${orderId}:refund:1`,
    reason: 'customer changed their mind',
  });
  assert.deepEqual(
    calls.listed.data.map((r) => r.id),
    [calls.refund.id],
  );
  assert.equal(calls.retrieved.metadata.customerId, 'customer-1');
  assert.equal(calls.canceled.status, 'canceled');
});
