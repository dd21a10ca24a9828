import assert from 'node:assert/strict';
import { test } from 'node:test';
import Stripe from 'stripe';
import { stackVar } from './env';

test('a PaymentIntent is created through the stripe SDK against the local Stripe API', async () => {
  const url = new URL(stackVar('STRIPE_MOCK_URL'));
  const stripe = new Stripe('sk_test_smoke', {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
  const intent = await stripe.paymentIntents.create(
    {
      amount: 2599,
      currency: 'eur',
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
    },
    { idempotencyKey: `smoke-${Date.now()}` },
  );
  assert.match(intent.id, /^pi_/);
  assert.equal(intent.object, 'payment_intent');
  await assert.rejects(
    // stripe-mock validates request shapes against Stripe's OpenAPI: an unknown parameter is refused.
    stripe.paymentIntents.create({
      amount: 100,
      currency: 'eur',
      not_a_param: true,
    } as Stripe.PaymentIntentCreateParams),
    (err: unknown) => err instanceof Stripe.errors.StripeInvalidRequestError,
  );
});
