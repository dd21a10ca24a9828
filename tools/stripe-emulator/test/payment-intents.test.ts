import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Stripe,
  auditOrder,
  authorizeParams,
  sdkFor,
  startTestEmulator,
  stripeError,
  uniqueOrderId,
  type TestEmulator,
} from './support';

let t: TestEmulator;
before(async () => {
  t = await startTestEmulator();
});
after(() => t.emulator.close());

test('manual capture: create+confirm holds the amount, capture takes it, the intent is succeeded', async () => {
  const orderId = uniqueOrderId();
  const intent = await t.stripe.paymentIntents.create(authorizeParams(orderId), {
    idempotencyKey: `${orderId}:authorize`,
  });
  assert.match(intent.id, /^pi_/);
  assert.equal(intent.object, 'payment_intent');
  assert.equal(intent.livemode, false);
  assert.equal(intent.status, 'requires_capture');
  assert.equal(intent.amount_capturable, 2599);
  assert.equal(intent.amount_received, 0);
  assert.deepEqual(intent.metadata, { orderId });
  assert.match(intent.latest_charge as string, /^ch_/);
  assert.match(intent.payment_method as string, /^pm_/);
  assert.ok(intent.created > 1_600_000_000);

  const captured = await t.stripe.paymentIntents.capture(intent.id);
  assert.equal(captured.status, 'succeeded');
  assert.equal(captured.amount_received, 2599);
  assert.equal(captured.amount_capturable, 0);
  const fetched = await t.stripe.paymentIntents.retrieve(intent.id);
  assert.equal(fetched.status, 'succeeded');

  const [audit] = await auditOrder(t.emulator.url, orderId);
  assert.deepEqual(
    audit?.operations.map((o) => o.operation),
    ['create', 'confirm', 'capture'],
  );
});

test('create, then confirm separately; partial capture releases the rest', async () => {
  const intent = await t.stripe.paymentIntents.create({
    amount: 5000,
    currency: 'EUR',
    capture_method: 'manual',
    allowed_payment_method_types: ['card'],
  });
  assert.equal(intent.status, 'requires_payment_method');
  assert.equal(intent.currency, 'eur');
  const confirmed = await t.stripe.paymentIntents.confirm(intent.id, {
    payment_method: 'pm_card_mastercard',
  });
  assert.equal(confirmed.status, 'requires_capture');

  const tooMuch = await stripeError(t.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 5001 }));
  assert.ok(tooMuch instanceof Stripe.errors.StripeInvalidRequestError);
  assert.equal(tooMuch.param, 'amount_to_capture');

  const captured = await t.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 3000 });
  assert.equal(captured.amount_received, 3000);
  assert.equal(captured.amount_capturable, 0);
});

test('automatic capture succeeds at confirmation', async () => {
  const intent = await t.stripe.paymentIntents.create({
    amount: 1200,
    currency: 'usd',
    confirm: true,
    payment_method: 'pm_card_amex',
    automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
  });
  assert.equal(intent.status, 'succeeded');
  assert.equal(intent.amount_received, 1200);
  const error = await stripeError(t.stripe.paymentIntents.capture(intent.id));
  assert.equal(error.code, 'payment_intent_unexpected_state');
});

test('capture of a canceled or already captured intent is payment_intent_unexpected_state', async () => {
  const canceled = await t.stripe.paymentIntents.create(authorizeParams(uniqueOrderId()));
  const afterCancel = await t.stripe.paymentIntents.cancel(canceled.id, { cancellation_reason: 'abandoned' });
  assert.equal(afterCancel.status, 'canceled');
  assert.equal(afterCancel.cancellation_reason, 'abandoned');
  assert.equal(afterCancel.amount_capturable, 0);
  assert.ok(afterCancel.canceled_at);
  const e1 = await stripeError(t.stripe.paymentIntents.capture(canceled.id));
  assert.ok(e1 instanceof Stripe.errors.StripeInvalidRequestError);
  assert.equal(e1.statusCode, 400);
  assert.equal(e1.code, 'payment_intent_unexpected_state');
  assert.equal(e1.payment_intent?.status, 'canceled');

  const captured = await t.stripe.paymentIntents.create(authorizeParams(uniqueOrderId()));
  await t.stripe.paymentIntents.capture(captured.id);
  const e2 = await stripeError(t.stripe.paymentIntents.capture(captured.id));
  assert.equal(e2.code, 'payment_intent_unexpected_state');
  const e3 = await stripeError(t.stripe.paymentIntents.cancel(captured.id));
  assert.equal(e3.code, 'payment_intent_unexpected_state');
});

const declines: [string, string, string][] = [
  ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
  ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
  ['pm_card_chargeDeclinedFraudulent', 'card_declined', 'fraudulent'],
  ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
];

for (const [paymentMethod, code, declineCode] of declines) {
  test(`${paymentMethod} declines with ${code}/${declineCode} and leaves the intent uncapturable`, async () => {
    const orderId = uniqueOrderId();
    const error = await stripeError(t.stripe.paymentIntents.create(authorizeParams(orderId, paymentMethod)));
    assert.ok(error instanceof Stripe.errors.StripeCardError);
    assert.equal(error.statusCode, 402);
    assert.equal(error.code, code);
    assert.equal(error.decline_code, declineCode);
    assert.match(error.message, /card/);
    const intent = error.payment_intent;
    assert.ok(intent, 'the error carries the intent');
    assert.equal(intent.status, 'requires_payment_method');
    assert.equal(intent.last_payment_error?.decline_code, declineCode);
    assert.equal(intent.amount_capturable, 0);
    const [audit] = await auditOrder(t.emulator.url, orderId);
    assert.equal(audit?.id, intent.id);
    const capture = await stripeError(t.stripe.paymentIntents.capture(intent.id));
    assert.equal(capture.code, 'payment_intent_unexpected_state');
  });
}

test('a declined intent can be confirmed again with another card', async () => {
  const error = await stripeError(
    t.stripe.paymentIntents.create(authorizeParams(uniqueOrderId(), 'pm_card_chargeDeclined')),
  );
  const id = error.payment_intent?.id ?? '';
  const retried = await t.stripe.paymentIntents.confirm(id, { payment_method: 'pm_card_visa' });
  assert.equal(retried.status, 'requires_capture');
  assert.equal(retried.last_payment_error, null);
});

test('an unknown payment method is resource_missing on payment_method and creates nothing', async () => {
  const orderId = uniqueOrderId();
  const error = await stripeError(t.stripe.paymentIntents.create(authorizeParams(orderId, 'pm_card_nope')));
  assert.ok(error instanceof Stripe.errors.StripeInvalidRequestError);
  assert.equal(error.code, 'resource_missing');
  assert.equal(error.param, 'payment_method');
  assert.deepEqual(await auditOrder(t.emulator.url, orderId), []);
});

test('request shapes are checked as Stripe does', async () => {
  const unknown = await stripeError(
    t.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      nonsense: 'x',
    } as Stripe.PaymentIntentCreateParams),
  );
  assert.equal(unknown.code, 'parameter_unknown');
  assert.equal(unknown.param, 'nonsense');
  const missing = await stripeError(
    t.stripe.paymentIntents.create({ currency: 'eur' } as Stripe.PaymentIntentCreateParams),
  );
  assert.equal(missing.code, 'parameter_missing');
  const small = await stripeError(t.stripe.paymentIntents.create({ amount: 10, currency: 'eur' }));
  assert.equal(small.code, 'amount_too_small');
  // Dashboard payment methods may redirect: confirming needs a return_url or no redirects.
  const redirect = await stripeError(
    t.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      confirm: true,
      payment_method: 'pm_card_visa',
    }),
  );
  assert.equal(redirect.param, 'return_url');
  const intent = await t.stripe.paymentIntents.create(authorizeParams(uniqueOrderId()));
  const reason = await stripeError(
    t.stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'bored' as 'abandoned' }),
  );
  assert.equal(reason.statusCode, 400);
  assert.equal(reason.param, 'cancellation_reason');
  assert.equal((await t.stripe.paymentIntents.retrieve(intent.id)).status, 'requires_capture');
});

test('retrieve of an unknown intent is a 404 resource_missing; a bad API key is an authentication error', async () => {
  const missing = await stripeError(t.stripe.paymentIntents.retrieve('pi_doesnotexist'));
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.code, 'resource_missing');
  const auth = await stripeError(sdkFor(t.emulator.url, 'sk_live_nope').paymentIntents.list());
  assert.ok(auth instanceof Stripe.errors.StripeAuthenticationError);
});

test('objects belong to the API key that made them', async () => {
  const intent = await t.stripe.paymentIntents.create(authorizeParams(uniqueOrderId()));
  const other = sdkFor(t.emulator.url, 'sk_test_other_account');
  const error = await stripeError(other.paymentIntents.retrieve(intent.id));
  assert.equal(error.code, 'resource_missing');
});

test('list pages newest first with limit and starting_after', async () => {
  const stripe = sdkFor(t.emulator.url, `sk_test_list_${Date.now()}`);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++)
    ids.push((await stripe.paymentIntents.create({ amount: 100 + i, currency: 'eur' })).id);
  const first = await stripe.paymentIntents.list({ limit: 2 });
  assert.equal(first.object, 'list');
  assert.deepEqual(
    first.data.map((i) => i.id),
    [ids[2], ids[1]],
  );
  assert.equal(first.has_more, true);
  const second = await stripe.paymentIntents.list({ limit: 2, starting_after: ids[1] });
  assert.deepEqual(
    second.data.map((i) => i.id),
    [ids[0]],
  );
  assert.equal(second.has_more, false);
});
