import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseLatency } from '../src/faults';
import {
  Stripe,
  addFault,
  auditOrder,
  authorizeParams,
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

test("'error' fails before any effect; the retry with the same key then succeeds", async () => {
  const orderId = uniqueOrderId();
  assert.equal((await addFault(t.emulator.url, { operation: 'create', orderId, mode: 'error' })).status, 201);
  const key = `${orderId}:authorize`;
  const error = await stripeError(
    t.stripe.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key }),
  );
  assert.ok(error instanceof Stripe.errors.StripeAPIError);
  assert.equal(error.statusCode, 500);
  assert.deepEqual(await auditOrder(t.emulator.url, orderId), []);
  const retried = await t.stripe.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key });
  assert.equal(retried.status, 'requires_capture');
  assert.equal(retried.lastResponse.headers['idempotent-replayed'], undefined);
  assert.equal((await auditOrder(t.emulator.url, orderId)).length, 1);
});

test("'error_after_effect' applies the effect, answers 500, and a replay returns the effected object", async () => {
  const orderId = uniqueOrderId();
  const intent = await t.stripe.paymentIntents.create(authorizeParams(orderId));
  await addFault(t.emulator.url, { operation: 'capture', orderId, mode: 'error_after_effect' });
  const key = `${orderId}:capture`;
  const error = await stripeError(t.stripe.paymentIntents.capture(intent.id, {}, { idempotencyKey: key }));
  assert.equal(error.statusCode, 500);
  assert.equal((await t.stripe.paymentIntents.retrieve(intent.id)).status, 'succeeded');
  const replay = await t.stripe.paymentIntents.capture(intent.id, {}, { idempotencyKey: key });
  assert.equal(replay.status, 'succeeded');
  assert.equal(replay.amount_received, intent.amount);
  assert.equal(replay.lastResponse.headers['idempotent-replayed'], 'true');
  const [audit] = await auditOrder(t.emulator.url, orderId);
  assert.equal(audit?.operations.filter((o) => o.operation === 'capture').length, 1);
});

test("'decline' declines a good card; rules apply only to their order and only `times` times", async () => {
  const orderId = uniqueOrderId();
  const other = uniqueOrderId();
  await addFault(t.emulator.url, { operation: 'confirm', orderId, mode: 'decline', times: 2 });
  const untouched = await t.stripe.paymentIntents.create(authorizeParams(other));
  assert.equal(untouched.status, 'requires_capture');
  for (let i = 0; i < 2; i++) {
    const error = await stripeError(t.stripe.paymentIntents.create(authorizeParams(orderId)));
    assert.ok(error instanceof Stripe.errors.StripeCardError);
    assert.equal(error.decline_code, 'generic_decline');
  }
  assert.equal((await t.stripe.paymentIntents.create(authorizeParams(orderId))).status, 'requires_capture');
});

test('refund and cancel faults match the order of the intent they touch', async () => {
  const orderId = uniqueOrderId();
  const intent = await t.stripe.paymentIntents.create(authorizeParams(orderId));
  await addFault(t.emulator.url, { operation: 'cancel', orderId, mode: 'error' });
  assert.equal((await stripeError(t.stripe.paymentIntents.cancel(intent.id))).statusCode, 500);
  assert.equal((await t.stripe.paymentIntents.cancel(intent.id)).status, 'canceled');

  const paid = await t.stripe.paymentIntents.capture(
    (await t.stripe.paymentIntents.create(authorizeParams(orderId))).id,
  );
  await addFault(t.emulator.url, { operation: 'refund', orderId, mode: 'error_after_effect' });
  const key = `${orderId}:refund`;
  assert.equal(
    (await stripeError(t.stripe.refunds.create({ payment_intent: paid.id }, { idempotencyKey: key })))
      .statusCode,
    500,
  );
  const replay = await t.stripe.refunds.create({ payment_intent: paid.id }, { idempotencyKey: key });
  assert.equal(replay.amount, paid.amount);
  const audits = await auditOrder(t.emulator.url, orderId);
  assert.equal(audits.find((a) => a.id === paid.id)?.refunds.length, 1);
});

test('fault rules are validated, listed and cleared', async () => {
  const bad = await addFault(t.emulator.url, { operation: 'refund', mode: 'decline' });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, /mode/);
  assert.equal((await addFault(t.emulator.url, { operation: 'teleport', mode: 'error' })).status, 400);
  const orderId = uniqueOrderId();
  await addFault(t.emulator.url, { operation: 'create', orderId, mode: 'error', times: 3 });
  const listed = (await (await fetch(`${t.emulator.url}/_emulator/faults`)).json()) as {
    data: { orderId?: string; times: number }[];
  };
  assert.ok(listed.data.some((r) => r.orderId === orderId && r.times === 3));
  assert.equal((await fetch(`${t.emulator.url}/_emulator/faults`, { method: 'DELETE' })).status, 204);
  assert.equal((await t.stripe.paymentIntents.create(authorizeParams(orderId))).status, 'requires_capture');
});

test('stats count intents by status, refunds and amounts', async () => {
  const orderId = uniqueOrderId();
  const paid = await t.stripe.paymentIntents.capture(
    (await t.stripe.paymentIntents.create(authorizeParams(orderId, 'pm_card_visa', 1500))).id,
  );
  await t.stripe.refunds.create({ payment_intent: paid.id, amount: 500 });
  const stats = (await (await fetch(`${t.emulator.url}/_emulator/stats`)).json()) as {
    payment_intents: { total: number; by_status: Record<string, number> };
    refunds: { total: number };
    amount_captured: number;
    amount_refunded: number;
    by_currency: Record<string, { captured: number; refunded: number }>;
  };
  assert.ok((stats.payment_intents.by_status.succeeded ?? 0) >= 1);
  assert.ok(stats.refunds.total >= 1);
  assert.ok(stats.amount_captured >= 1500);
  assert.ok(stats.amount_refunded >= 500);
  assert.ok((stats.by_currency.eur?.captured ?? 0) >= 1500);
});

test('a fault rate of 1 fails every API request with an api_error; latency ranges parse', async () => {
  const flaky = await startTestEmulator({ faultRate: 1, latencyMs: '1-3' });
  try {
    const error = await stripeError(flaky.stripe.paymentIntents.list());
    assert.ok(error instanceof Stripe.errors.StripeAPIError);
    assert.equal(error.statusCode, 500);
    assert.equal((await fetch(`${flaky.emulator.url}/healthz`)).status, 200);
  } finally {
    await flaky.emulator.close();
  }
  assert.deepEqual(parseLatency('20-80'), { min: 20, max: 80 });
  assert.deepEqual(parseLatency('0'), { min: 0, max: 0 });
  assert.throws(() => parseLatency('80-20'));
  assert.throws(() => parseLatency('fast'));
});
