import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPaymentService, uniqueOrderId, type PaymentService } from './harness';

let svc: PaymentService;
before(async () => {
  svc = await startPaymentService();
});
after(() => svc.close());

const capture = (orderId: string, key = `${orderId}:capture`) =>
  svc.post(`/v1/payments/${orderId}/capture`, undefined, key);
const voidIt = (orderId: string, key = `${orderId}:void`) =>
  svc.post(`/v1/payments/${orderId}/void`, undefined, key);
const refund = (orderId: string, body: Record<string, unknown>, key: string) =>
  svc.post(`/v1/payments/${orderId}/refunds`, body, key);

test('authorize -> capture -> partial refund -> refund of the rest', async () => {
  const orderId = uniqueOrderId();
  const authorized = await svc.authorize(orderId, { amount: 5000 });
  assert.equal(authorized.status, 201);
  assert.equal(authorized.body.status, 'AUTHORIZED');
  assert.match(String(authorized.body.paymentIntentId), /^pi_/);
  assert.deepEqual(
    [authorized.body.amount, authorized.body.currency, authorized.body.captured, authorized.body.refunded],
    [5000, 'eur', 0, 0],
  );
  const [intent] = await svc.audit(orderId);
  assert.equal(intent?.status, 'requires_capture');
  assert.equal(intent?.amount_capturable, 5000);

  const captured = await capture(orderId);
  assert.equal(captured.status, 200);
  assert.equal(captured.body.status, 'CAPTURED');
  assert.equal(captured.body.captured, 5000);

  const partial = await refund(
    orderId,
    { amount: 1200, reason: 'one item was damaged' },
    `${orderId}:refund:1`,
  );
  assert.equal(partial.status, 201);
  assert.match(String(partial.body.refundId), /^re_/);
  assert.deepEqual(
    [partial.body.amount, partial.body.totalRefunded, partial.body.status],
    [1200, 1200, 'PARTIALLY_REFUNDED'],
  );

  const rest = await refund(orderId, {}, `${orderId}:refund:compensation`);
  assert.equal(rest.status, 201);
  assert.deepEqual([rest.body.amount, rest.body.totalRefunded, rest.body.status], [3800, 5000, 'REFUNDED']);

  const nothingLeft = await refund(orderId, {}, `${orderId}:refund:again`);
  assert.equal(nothingLeft.status, 200);
  assert.deepEqual([nothingLeft.body.amount, nothingLeft.body.refundId], [0, null]);

  const payment = await svc.get(`/v1/payments/${orderId}`);
  assert.equal(payment.status, 200);
  assert.equal(payment.body.status, 'REFUNDED');
  assert.equal(payment.body.refunded, 5000);
  const refunds = payment.body.refunds as { amount: number; reason: string | null }[];
  assert.deepEqual(
    refunds.map((r) => [r.amount, r.reason]),
    [
      [1200, 'one item was damaged'],
      [3800, null],
    ],
  );
  const [after] = await svc.audit(orderId);
  assert.equal(after?.amount_received, 5000);
  assert.equal(after?.amount_refunded, 5000);
  assert.equal(after?.refunds[0]?.metadata.reason, 'one item was damaged');
});

test('replaying every call with its key has no second Stripe effect', async () => {
  const orderId = uniqueOrderId();
  const first = await svc.authorize(orderId);
  const again = await svc.authorize(orderId);
  assert.equal(again.status, 200);
  assert.equal(again.body.paymentIntentId, first.body.paymentIntentId);
  // The order id is the natural key: another Idempotency-Key still finds the same payment.
  const otherKey = await svc.authorize(orderId, {}, `${orderId}:authorize:retry`);
  assert.equal(otherKey.body.paymentIntentId, first.body.paymentIntentId);

  assert.equal((await capture(orderId)).status, 200);
  const capturedAgain = await capture(orderId);
  assert.equal(capturedAgain.status, 200);
  assert.equal(capturedAgain.body.status, 'CAPTURED');

  const key = `${orderId}:refund:support`;
  const r1 = await refund(orderId, { amount: 700 }, key);
  const r2 = await refund(orderId, { amount: 700 }, key);
  const r3 = await refund(orderId, {}, key);
  assert.equal(r1.status, 201);
  assert.equal(r2.status, 200);
  assert.equal(r2.body.refundId, r1.body.refundId);
  assert.equal(r3.body.refundId, r1.body.refundId);
  assert.equal((await svc.get(`/v1/payments/${orderId}`)).body.refunded, 700);
  const reused = await refund(orderId, { amount: 800 }, key);
  assert.equal(reused.status, 409);
  assert.equal(reused.body.code, 'IDEMPOTENCY_KEY_REUSED');

  const intents = await svc.audit(orderId);
  assert.equal(intents.length, 1);
  assert.equal(await svc.effects(orderId, 'confirm'), 1);
  assert.equal(await svc.effects(orderId, 'capture'), 1);
  assert.equal(await svc.effects(orderId, 'refund'), 1);
});

const declines: [string, string, string][] = [
  ['pm_card_chargeDeclined', 'generic_decline', 'card_declined'],
  ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'card_declined'],
  ['pm_card_chargeDeclinedFraudulent', 'fraudulent', 'card_declined'],
  ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
];

for (const [paymentMethod, declineCode, stripeCode] of declines) {
  test(`${paymentMethod}: 422 CARD_DECLINED (${declineCode}), the same on replay, nothing capturable`, async () => {
    const orderId = uniqueOrderId();
    const first = await svc.authorize(orderId, { paymentMethod });
    assert.equal(first.status, 422);
    assert.match(first.contentType, /^application\/problem\+json/);
    assert.deepEqual(
      [first.body.code, first.body.declineCode, first.body.stripeCode],
      ['CARD_DECLINED', declineCode, stripeCode],
    );
    const replay = await svc.authorize(orderId, { paymentMethod });
    assert.equal(replay.status, 422);
    assert.deepEqual(
      [replay.body.code, replay.body.declineCode, replay.body.stripeCode, replay.body.detail],
      [first.body.code, first.body.declineCode, first.body.stripeCode, first.body.detail],
    );
    const payment = await svc.get(`/v1/payments/${orderId}`);
    assert.deepEqual([payment.body.status, payment.body.declineCode], ['DECLINED', declineCode]);

    const intents = await svc.audit(orderId);
    assert.equal(intents.length, 1);
    assert.equal(intents[0]?.status, 'requires_payment_method');
    assert.equal(intents[0]?.amount_capturable, 0);
    assert.equal(await svc.effects(orderId, 'confirm'), 1);

    const captured = await capture(orderId);
    assert.deepEqual([captured.status, captured.body.code], [409, 'PAYMENT_NOT_AUTHORIZED']);
    const voided = await voidIt(orderId);
    assert.deepEqual([voided.status, voided.body.status], [200, 'DECLINED']);
  });
}

test('an unknown payment method is 422 PAYMENT_METHOD_INVALID and nothing is created at Stripe', async () => {
  const orderId = uniqueOrderId();
  const reply = await svc.authorize(orderId, { paymentMethod: 'pm_card_doesNotExist' });
  assert.deepEqual(
    [reply.status, reply.body.code, reply.body.stripeCode],
    [422, 'PAYMENT_METHOD_INVALID', 'resource_missing'],
  );
  assert.equal(
    (await svc.authorize(orderId, { paymentMethod: 'pm_card_doesNotExist' })).body.code,
    'PAYMENT_METHOD_INVALID',
  );
  assert.deepEqual(await svc.audit(orderId), []);
});

test('the same order with another amount is 409 PAYMENT_MISMATCH', async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId, { amount: 5000 });
  const other = await svc.authorize(orderId, { amount: 6000 });
  assert.deepEqual([other.status, other.body.code], [409, 'PAYMENT_MISMATCH']);
});

test('void without an authorization leaves a tombstone that refuses a late authorize', async () => {
  const orderId = uniqueOrderId();
  const voided = await voidIt(orderId);
  assert.deepEqual([voided.status, voided.body.status, voided.body.paymentIntentId], [200, 'VOIDED', null]);
  assert.equal((await voidIt(orderId)).status, 200);
  const late = await svc.authorize(orderId);
  assert.deepEqual([late.status, late.body.code], [409, 'PAYMENT_VOIDED']);
  assert.deepEqual(await svc.audit(orderId), []);
  const zero = await refund(orderId, {}, `${orderId}:refund:compensation`);
  assert.deepEqual([zero.status, zero.body.amount], [200, 0]);
});

test('void after authorize cancels the intent; capture is then refused', async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId);
  const voided = await voidIt(orderId);
  assert.deepEqual([voided.status, voided.body.status], [200, 'VOIDED']);
  const [intent] = await svc.audit(orderId);
  assert.equal(intent?.status, 'canceled');
  assert.equal((await voidIt(orderId)).body.status, 'VOIDED');
  assert.equal((await voidIt(orderId, `${orderId}:void:other-key`)).body.status, 'VOIDED');
  assert.equal(await svc.effects(orderId, 'cancel'), 1);
  const captured = await capture(orderId);
  assert.deepEqual([captured.status, captured.body.code], [409, 'PAYMENT_NOT_AUTHORIZED']);
  const late = await svc.authorize(orderId);
  assert.deepEqual([late.status, late.body.code], [409, 'PAYMENT_VOIDED']);
});

test('void after capture refunds what is still captured and answers REFUNDED; again, a no-op', async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId);
  await capture(orderId);
  await refund(orderId, { amount: 100 }, `${orderId}:refund:part`);
  const voided = await voidIt(orderId);
  assert.deepEqual(
    [voided.status, voided.body.status, voided.body.captured, voided.body.refunded],
    [200, 'REFUNDED', 5000, 5000],
  );
  const refunds = voided.body.refunds as { idempotencyKey: string; amount: number; status: string }[];
  assert.deepEqual(
    refunds.map((r) => [r.idempotencyKey, r.amount, r.status]),
    [
      [`${orderId}:refund:part`, 100, 'succeeded'],
      [`${orderId}:refund:void`, 4900, 'succeeded'],
    ],
  );
  const again = await voidIt(orderId);
  assert.deepEqual([again.status, again.body.status], [200, 'REFUNDED']);
  assert.equal(await svc.effects(orderId, 'cancel'), 0);
  assert.equal(await svc.effects(orderId, 'refund'), 2);
  const [intent] = await svc.audit(orderId);
  assert.equal(intent?.amount_refunded, 5000);
});

test('a refund compensation when nothing was captured answers 0 and changes nothing', async () => {
  const none = uniqueOrderId();
  const noRow = await refund(none, {}, `${none}:refund:compensation`);
  assert.equal(noRow.status, 200);
  assert.deepEqual(
    [noRow.body.orderId, noRow.body.amount, noRow.body.totalRefunded, noRow.body.refundId],
    [none, 0, 0, null],
  );
  assert.equal((await svc.get(`/v1/payments/${none}`)).status, 404);

  const authorizedOnly = uniqueOrderId();
  await svc.authorize(authorizedOnly);
  const zero = await refund(authorizedOnly, {}, `${authorizedOnly}:refund:compensation`);
  assert.deepEqual([zero.status, zero.body.amount, zero.body.status], [200, 0, 'AUTHORIZED']);
  assert.equal(await svc.effects(authorizedOnly, 'refund'), 0);
});

test('refunding more than captured-minus-refunded is 422 REFUND_EXCEEDS_CAPTURED', async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId, { amount: 3000 });
  const early = await refund(orderId, { amount: 100 }, `${orderId}:refund:early`);
  assert.deepEqual(
    [early.status, early.body.code, early.body.refundable],
    [422, 'REFUND_EXCEEDS_CAPTURED', 0],
  );
  await capture(orderId);
  await refund(orderId, { amount: 1000 }, `${orderId}:refund:1`);
  const over = await refund(orderId, { amount: 2001 }, `${orderId}:refund:2`);
  assert.equal(over.status, 422);
  assert.deepEqual(
    [over.body.code, over.body.requested, over.body.refundable],
    ['REFUND_EXCEEDS_CAPTURED', 2001, 2000],
  );
  assert.equal((await refund(orderId, { amount: 2000 }, `${orderId}:refund:3`)).status, 201);
  assert.equal(await svc.effects(orderId, 'refund'), 2);
});

test('unknown payments are 404 PAYMENT_NOT_FOUND', async () => {
  const orderId = uniqueOrderId();
  for (const reply of [
    await svc.get(`/v1/payments/${orderId}`),
    await capture(orderId),
    await refund(orderId, { amount: 100 }, `${orderId}:refund`),
  ]) {
    assert.equal(reply.status, 404);
    assert.equal(reply.body.code, 'PAYMENT_NOT_FOUND');
  }
});
