import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Stripe,
  addFault,
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

async function faultHits(id: number): Promise<number> {
  const res = await fetch(`${t.emulator.url}/_emulator/faults`);
  const { data } = (await res.json()) as { data: { id: number; hits: number }[] };
  return data.find((r) => r.id === id)?.hits ?? 0;
}

async function capturedIntent(orderId: string, amount = 10_000) {
  const intent = await t.stripe.paymentIntents.create(authorizeParams(orderId, 'pm_card_visa', amount));
  return t.stripe.paymentIntents.capture(intent.id);
}

test('the same idempotency key replays the first answer without a second effect', async () => {
  const orderId = uniqueOrderId();
  const key = `${orderId}:authorize`;
  const first = await t.stripe.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key });
  const again = await t.stripe.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key });
  assert.equal(again.id, first.id);
  assert.equal(again.lastResponse.headers['idempotent-replayed'], 'true');
  assert.equal(first.lastResponse.headers['idempotent-replayed'], undefined);
  assert.equal((await auditOrder(t.emulator.url, orderId)).length, 1);

  const captureKey = `${orderId}:capture`;
  await t.stripe.paymentIntents.capture(first.id, {}, { idempotencyKey: captureKey });
  const replayed = await t.stripe.paymentIntents.capture(first.id, {}, { idempotencyKey: captureKey });
  assert.equal(replayed.status, 'succeeded');
  const [audit] = await auditOrder(t.emulator.url, orderId);
  assert.equal(audit?.operations.filter((o) => o.operation === 'capture').length, 1);
});

test('a replayed decline is the same 402 with the same intent', async () => {
  const orderId = uniqueOrderId();
  const params = authorizeParams(orderId, 'pm_card_chargeDeclinedInsufficientFunds');
  const first = await stripeError(t.stripe.paymentIntents.create(params, { idempotencyKey: orderId }));
  const again = await stripeError(t.stripe.paymentIntents.create(params, { idempotencyKey: orderId }));
  assert.ok(again instanceof Stripe.errors.StripeCardError);
  assert.equal(again.decline_code, 'insufficient_funds');
  assert.equal(again.payment_intent?.id, first.payment_intent?.id);
  assert.equal(again.headers?.['idempotent-replayed'], 'true');
  assert.equal((await auditOrder(t.emulator.url, orderId)).length, 1);
});

test('a key reused with other parameters or on another endpoint is an idempotency_error', async () => {
  const orderId = uniqueOrderId();
  const key = `${orderId}:authorize`;
  const intent = await t.stripe.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key });
  const params = await stripeError(
    t.stripe.paymentIntents.create({ ...authorizeParams(orderId), amount: 9999 }, { idempotencyKey: key }),
  );
  assert.ok(params instanceof Stripe.errors.StripeIdempotencyError);
  assert.equal(params.statusCode, 400);
  assert.match(params.message, /same parameters/);
  const endpoint = await stripeError(t.stripe.paymentIntents.capture(intent.id, {}, { idempotencyKey: key }));
  assert.ok(endpoint instanceof Stripe.errors.StripeIdempotencyError);
  assert.match(endpoint.message, /same endpoint/);
  assert.equal((await t.stripe.paymentIntents.retrieve(intent.id)).status, 'requires_capture');
});

test('keys are scoped per API key', async () => {
  const orderId = uniqueOrderId();
  const key = `${orderId}:shared-key`;
  const a = await t.stripe.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key });
  const other = sdkFor(t.emulator.url, 'sk_test_second_account');
  const b = await other.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key });
  assert.notEqual(a.id, b.id);
});

test('a key whose first request is still running answers 409 idempotency_key_in_use', async () => {
  const orderId = uniqueOrderId();
  const key = `${orderId}:authorize`;
  const rule = await addFault(t.emulator.url, { operation: 'create', orderId, mode: 'delay', delayMs: 1500 });
  const { id } = (await rule.json()) as { id: number };
  const slow = t.stripe.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key });
  // Once the rule has been hit, the first request holds its key inside the endpoint.
  while (!(await faultHits(id))) await new Promise((resolve) => setTimeout(resolve, 10));
  const concurrent = await stripeError(
    t.stripe.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key }),
  );
  assert.equal(concurrent.statusCode, 409);
  assert.equal(concurrent.code, 'idempotency_key_in_use');
  const first = await slow;
  const replay = await t.stripe.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key });
  assert.equal(replay.id, first.id);
});

test('partial refunds, then the rest; a refund beyond what was received is refused', async () => {
  const orderId = uniqueOrderId();
  const intent = await capturedIntent(orderId, 10_000);
  const r1 = await t.stripe.refunds.create({
    payment_intent: intent.id,
    amount: 2500,
    reason: 'requested_by_customer',
    metadata: { orderId },
  });
  assert.match(r1.id, /^re_/);
  assert.equal(r1.object, 'refund');
  assert.equal(r1.amount, 2500);
  assert.equal(r1.status, 'succeeded');
  assert.equal(r1.payment_intent, intent.id);
  assert.equal(r1.charge, intent.latest_charge);
  assert.deepEqual(r1.metadata, { orderId });

  const tooLarge = await stripeError(t.stripe.refunds.create({ payment_intent: intent.id, amount: 7501 }));
  assert.ok(tooLarge instanceof Stripe.errors.StripeInvalidRequestError);
  assert.equal(tooLarge.code, 'amount_too_large');

  const rest = await t.stripe.refunds.create({ payment_intent: intent.id });
  assert.equal(rest.amount, 7500);
  const none = await stripeError(t.stripe.refunds.create({ payment_intent: intent.id, amount: 1 }));
  assert.equal(none.code, 'charge_already_refunded');
  assert.equal((await t.stripe.refunds.retrieve(r1.id)).amount, 2500);

  const [audit] = await auditOrder(t.emulator.url, orderId);
  assert.equal(audit?.amount_refunded, 10_000);
  assert.deepEqual(
    audit?.refunds.map((r) => r.amount),
    [2500, 7500],
  );
});

test('an intent that was never captured cannot be refunded; refunds by charge id work', async () => {
  const authorized = await t.stripe.paymentIntents.create(authorizeParams(uniqueOrderId()));
  const error = await stripeError(t.stripe.refunds.create({ payment_intent: authorized.id }));
  assert.equal(error.code, 'payment_intent_unexpected_state');
  const missing = await stripeError(t.stripe.refunds.create({ payment_intent: 'pi_missing' }));
  assert.equal(missing.code, 'resource_missing');
  assert.equal(missing.param, 'payment_intent');

  const captured = await capturedIntent(uniqueOrderId(), 800);
  const byCharge = await t.stripe.refunds.create({ charge: captured.latest_charge as string, amount: 300 });
  assert.equal(byCharge.payment_intent, captured.id);
});

test('an idempotent refund is made once', async () => {
  const orderId = uniqueOrderId();
  const intent = await capturedIntent(orderId, 4000);
  const key = `${orderId}:refund:compensation`;
  const first = await t.stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: key });
  const again = await t.stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: key });
  assert.equal(again.id, first.id);
  const [audit] = await auditOrder(t.emulator.url, orderId);
  assert.equal(audit?.refunds.length, 1);
});
