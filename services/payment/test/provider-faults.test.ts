// Stripe failing, timing out after taking effect, and racing requests: the service must
// answer retryably, settle what really happened, and never charge or refund twice.
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

async function captured(orderId: string, amount = 5000) {
  assert.equal((await svc.authorize(orderId, { amount })).status, 201);
  assert.equal((await capture(orderId)).status, 200);
}

test("Stripe 'error' on authorize: 503 PAYMENT_PROVIDER_UNAVAILABLE, then the retry succeeds", async () => {
  const orderId = uniqueOrderId();
  await svc.fault({ operation: 'create', orderId, mode: 'error' });
  const failed = await svc.authorize(orderId);
  assert.deepEqual([failed.status, failed.body.code], [503, 'PAYMENT_PROVIDER_UNAVAILABLE']);
  assert.equal((await svc.get(`/v1/payments/${orderId}`)).body.status, 'AUTHORIZING');
  const retried = await svc.authorize(orderId);
  assert.deepEqual([retried.status, retried.body.status], [201, 'AUTHORIZED']);
  assert.equal((await svc.audit(orderId)).length, 1);
});

test("'error_after_effect' on authorize: the retry settles the intent Stripe made, not a second one", async () => {
  const orderId = uniqueOrderId();
  await svc.fault({ operation: 'create', orderId, mode: 'error_after_effect' });
  assert.equal((await svc.authorize(orderId)).status, 503);
  const retried = await svc.authorize(orderId);
  assert.deepEqual([retried.status, retried.body.status], [201, 'AUTHORIZED']);
  const intents = await svc.audit(orderId);
  assert.equal(intents.length, 1);
  assert.equal(retried.body.paymentIntentId, intents[0]?.id);
});

test("'error_after_effect' on authorize, then void: the hold Stripe made is found and released", async () => {
  const orderId = uniqueOrderId();
  await svc.fault({ operation: 'create', orderId, mode: 'error_after_effect' });
  assert.equal((await svc.authorize(orderId)).status, 503);
  const voided = await voidIt(orderId);
  assert.deepEqual([voided.status, voided.body.status], [200, 'VOIDED']);
  const intents = await svc.audit(orderId);
  assert.deepEqual(
    intents.map((i) => i.status),
    ['canceled'],
  );
});

test("'error_after_effect' on capture: 503, the retry answers CAPTURED and Stripe shows one capture", async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId);
  await svc.fault({ operation: 'capture', orderId, mode: 'error_after_effect' });
  const failed = await capture(orderId);
  assert.deepEqual([failed.status, failed.body.code], [503, 'PAYMENT_PROVIDER_UNAVAILABLE']);
  assert.equal((await svc.get(`/v1/payments/${orderId}`)).body.status, 'CAPTURING');
  const retried = await capture(orderId);
  assert.deepEqual([retried.status, retried.body.status, retried.body.captured], [200, 'CAPTURED', 5000]);
  assert.equal(await svc.effects(orderId, 'capture'), 1);
});

test('a capture whose answer was lost is still refunded in full by the compensation', async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId, { amount: 4200 });
  await svc.fault({ operation: 'capture', orderId, mode: 'error_after_effect' });
  assert.equal((await capture(orderId)).status, 503);
  const compensation = await refund(orderId, {}, `${orderId}:refund:compensation`);
  assert.deepEqual(
    [compensation.status, compensation.body.amount, compensation.body.status],
    [201, 4200, 'REFUNDED'],
  );
  const [intent] = await svc.audit(orderId);
  assert.equal(intent?.amount_refunded, 4200);
  const voided = await voidIt(orderId);
  assert.deepEqual([voided.status, voided.body.status], [200, 'REFUNDED']);
});

test("Stripe 'error' on capture and on void are retried to success", async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId);
  await svc.fault({ operation: 'cancel', orderId, mode: 'error' });
  assert.equal((await voidIt(orderId)).status, 503);
  assert.equal((await svc.get(`/v1/payments/${orderId}`)).body.status, 'AUTHORIZED');
  assert.equal((await voidIt(orderId)).body.status, 'VOIDED');

  const other = uniqueOrderId();
  await svc.authorize(other);
  await svc.fault({ operation: 'capture', orderId: other, mode: 'error' });
  assert.equal((await capture(other)).status, 503);
  assert.equal((await capture(other)).body.status, 'CAPTURED');
  assert.equal(await svc.effects(other, 'capture'), 1);
});

test('a refund that failed at Stripe, before or after its effect, is made exactly once on retry', async () => {
  const orderId = uniqueOrderId();
  await captured(orderId, 6000);
  await svc.fault({ operation: 'refund', orderId, mode: 'error' });
  const key1 = `${orderId}:refund:1`;
  assert.equal((await refund(orderId, { amount: 1000 }, key1)).status, 503);
  // The failed refund keeps its amount reserved until it is settled.
  const blocked = await refund(orderId, { amount: 5001 }, `${orderId}:refund:too-much`);
  assert.deepEqual([blocked.status, blocked.body.refundable], [422, 5000]);
  assert.equal((await refund(orderId, { amount: 1000 }, key1)).status, 201);

  await svc.fault({ operation: 'refund', orderId, mode: 'error_after_effect' });
  const key2 = `${orderId}:refund:2`;
  assert.equal((await refund(orderId, { amount: 2000 }, key2)).status, 503);
  const settled = await refund(orderId, {}, key2);
  assert.deepEqual([settled.status, settled.body.amount, settled.body.totalRefunded], [201, 2000, 3000]);
  const [intent] = await svc.audit(orderId);
  assert.deepEqual(
    intent?.refunds.map((r) => r.amount),
    [1000, 2000],
  );
});

test('a declined-card fault on confirmation is a 422 CARD_DECLINED', async () => {
  const orderId = uniqueOrderId();
  await svc.fault({ operation: 'confirm', orderId, mode: 'decline' });
  const reply = await svc.authorize(orderId);
  assert.deepEqual(
    [reply.status, reply.body.code, reply.body.declineCode],
    [422, 'CARD_DECLINED', 'generic_decline'],
  );
});

test('two concurrent refunds that together exceed the capture: exactly one succeeds', async () => {
  const orderId = uniqueOrderId();
  await captured(orderId, 5000);
  const replies = await Promise.all([
    refund(orderId, { amount: 3000 }, `${orderId}:refund:a`),
    refund(orderId, { amount: 3000 }, `${orderId}:refund:b`),
  ]);
  assert.deepEqual(replies.map((r) => r.status).sort(), [201, 422]);
  assert.equal(replies.find((r) => r.status === 422)?.body.code, 'REFUND_EXCEEDS_CAPTURED');
  assert.equal((await svc.get(`/v1/payments/${orderId}`)).body.refunded, 3000);
  assert.equal(await svc.effects(orderId, 'refund'), 1);
});

test('many concurrent refunds never exceed the capture, and concurrent replays refund once', async () => {
  const orderId = uniqueOrderId();
  await captured(orderId, 1000);
  const replies = await Promise.all(
    Array.from({ length: 8 }, (_, i) => refund(orderId, { amount: 300 }, `${orderId}:refund:${i}`)),
  );
  assert.equal(replies.filter((r) => r.status === 201).length, 3);
  assert.ok(replies.every((r) => r.status === 201 || r.status === 422));

  const replayed = uniqueOrderId();
  await captured(replayed, 1000);
  const same = await Promise.all(
    Array.from({ length: 4 }, () => refund(replayed, { amount: 400 }, `${replayed}:refund:same`)),
  );
  // Duplicates either get the first answer or a retryable 503 (Stripe's key still in use).
  assert.ok(
    same.every((r) => [200, 201, 503].includes(r.status)),
    JSON.stringify(same.map((r) => r.status)),
  );
  assert.equal(await svc.effects(replayed, 'refund'), 1);
  const final = await refund(replayed, { amount: 400 }, `${replayed}:refund:same`);
  assert.equal(final.body.totalRefunded, 400);
});

test('concurrent authorizations of one order create one intent', async () => {
  const orderId = uniqueOrderId();
  const replies = await Promise.all(Array.from({ length: 4 }, () => svc.authorize(orderId)));
  assert.ok(
    replies.every((r) => [200, 201, 503].includes(r.status)),
    JSON.stringify(replies.map((r) => r.status)),
  );
  const settled = await svc.authorize(orderId);
  assert.equal(settled.body.status, 'AUTHORIZED');
  assert.equal((await svc.audit(orderId)).length, 1);
});
