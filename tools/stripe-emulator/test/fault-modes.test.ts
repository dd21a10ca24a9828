// The fault modes a caller cannot tell apart from a real Stripe outage, through the official
// SDK: which error class it raises, and whether the operation took effect behind it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Stripe,
  addFault,
  auditOrder,
  authorizeParams,
  eventually,
  faultRules,
  sdkFor,
  startTestEmulator,
  stripeError,
  uniqueOrderId,
  untilHit,
  type TestEmulator,
} from './support';

let t: TestEmulator;
before(async () => {
  t = await startTestEmulator();
});
after(() => t.emulator.close());

async function rule(body: Record<string, unknown>): Promise<{ id: number }> {
  const res = await addFault(t.emulator.url, body);
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as { id: number };
}

async function authorized(orderId: string) {
  return t.stripe.paymentIntents.create(authorizeParams(orderId));
}

const captures = async (orderId: string) =>
  (await auditOrder(t.emulator.url, orderId))
    .flatMap((i) => i.operations)
    .filter((o) => o.operation === 'capture').length;

test("'rate_limit' is a 429 StripeRateLimitError coded rate_limit, with no effect; the same key then runs", async () => {
  const orderId = uniqueOrderId();
  await rule({ operation: 'create', orderId, mode: 'rate_limit' });
  const key = `${orderId}:authorize`;
  const error = await stripeError(
    t.stripe.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key }),
  );
  assert.ok(error instanceof Stripe.errors.StripeRateLimitError, error.constructor.name);
  assert.deepEqual([error.statusCode, error.code], [429, 'rate_limit']);
  assert.deepEqual(await auditOrder(t.emulator.url, orderId), []);
  const retried = await t.stripe.paymentIntents.create(authorizeParams(orderId), { idempotencyKey: key });
  assert.equal(retried.status, 'requires_capture');
  assert.equal(retried.lastResponse.headers['idempotent-replayed'], undefined);
});

test("'in_use' is a 409 idempotency_key_in_use with no effect; the key is free for the retry", async () => {
  const orderId = uniqueOrderId();
  const intent = await authorized(orderId);
  await rule({ operation: 'capture', orderId, mode: 'in_use' });
  const key = `${orderId}:capture`;
  const error = await stripeError(t.stripe.paymentIntents.capture(intent.id, {}, { idempotencyKey: key }));
  assert.deepEqual(
    [error.statusCode, error.code, error.type],
    [409, 'idempotency_key_in_use', 'StripeAPIError'],
  );
  assert.equal((await t.stripe.paymentIntents.retrieve(intent.id)).status, 'requires_capture');
  const retried = await t.stripe.paymentIntents.capture(intent.id, {}, { idempotencyKey: key });
  assert.equal(retried.status, 'succeeded');
  assert.equal(await captures(orderId), 1);
});

test('a natural in-use 409: a second capture and a second refund with the key of a slow first one', async () => {
  const orderId = uniqueOrderId();
  const intent = await authorized(orderId);
  const slow = await rule({ operation: 'capture', orderId, mode: 'delay', delayMs: 800 });
  const key = `${orderId}:capture`;
  const first = t.stripe.paymentIntents.capture(intent.id, {}, { idempotencyKey: key });
  await untilHit(t.emulator.url, slow.id);
  const second = await stripeError(t.stripe.paymentIntents.capture(intent.id, {}, { idempotencyKey: key }));
  assert.deepEqual([second.statusCode, second.code], [409, 'idempotency_key_in_use']);
  assert.equal((await first).status, 'succeeded');

  const slowRefund = await rule({ operation: 'refund', orderId, mode: 'delay', delayMs: 800 });
  const refundKey = `${orderId}:refund`;
  const refund = t.stripe.refunds.create(
    { payment_intent: intent.id, amount: 100 },
    { idempotencyKey: refundKey },
  );
  await untilHit(t.emulator.url, slowRefund.id);
  const again = await stripeError(
    t.stripe.refunds.create({ payment_intent: intent.id, amount: 100 }, { idempotencyKey: refundKey }),
  );
  assert.deepEqual([again.statusCode, again.code], [409, 'idempotency_key_in_use']);
  const made = await refund;
  const replay = await t.stripe.refunds.create(
    { payment_intent: intent.id, amount: 100 },
    { idempotencyKey: refundKey },
  );
  assert.equal(replay.id, made.id);
  assert.equal((await auditOrder(t.emulator.url, orderId))[0]?.refunds.length, 1);
});

// The SDK retries a closed connection once by itself, even with maxNetworkRetries 0 (stripe-node
// issue 1040), with the same idempotency key: a reset reaches the caller only if it happens twice.
test("'reset' drops the connection before any effect: twice is a StripeConnectionError, the retry runs", async () => {
  const orderId = uniqueOrderId();
  const intent = await authorized(orderId);
  const reset = await rule({ operation: 'cancel', orderId, mode: 'reset', times: 2 });
  const key = `${orderId}:void`;
  const error = await stripeError(t.stripe.paymentIntents.cancel(intent.id, {}, { idempotencyKey: key }));
  assert.ok(error instanceof Stripe.errors.StripeConnectionError, error.constructor.name);
  assert.equal((await faultRules(t.emulator.url)).find((r) => r.id === reset.id)?.hits, 2);
  assert.equal((await t.stripe.paymentIntents.retrieve(intent.id)).status, 'requires_capture');
  const retried = await t.stripe.paymentIntents.cancel(intent.id, {}, { idempotencyKey: key });
  assert.equal(retried.status, 'canceled');
  assert.equal(retried.lastResponse.headers['idempotent-replayed'], undefined);
});

test("'reset' once is absorbed by the SDK's own retry: one effect, no error", async () => {
  const orderId = uniqueOrderId();
  const intent = await authorized(orderId);
  await rule({ operation: 'capture', orderId, mode: 'reset' });
  const captured = await t.stripe.paymentIntents.capture(
    intent.id,
    {},
    { idempotencyKey: `${orderId}:capture` },
  );
  assert.equal(captured.status, 'succeeded');
  assert.equal(await captures(orderId), 1);
});

test("'reset_after_effect' refunds, drops the connection, and the same key replays that refund", async () => {
  const orderId = uniqueOrderId();
  const intent = await t.stripe.paymentIntents.capture((await authorized(orderId)).id);
  await rule({ operation: 'refund', orderId, mode: 'reset_after_effect', times: 2 });
  const key = `${orderId}:refund:1`;
  // Raw HTTP first, so the dropped connection is seen rather than retried.
  const raw = fetch(`${t.emulator.url}/v1/refunds`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer sk_test_x',
      'content-type': 'application/x-www-form-urlencoded',
      'idempotency-key': key,
    },
    body: `payment_intent=${intent.id}&amount=500&metadata[refundKey]=${encodeURIComponent(key)}`,
  });
  await assert.rejects(raw, /fetch failed/);
  const [audit] = await auditOrder(t.emulator.url, orderId);
  assert.deepEqual(
    audit?.refunds.map((r) => r.amount),
    [500],
  );
  // Through the SDK the same request is answered from the saved effect, without a second refund.
  const replay = await t.stripe.refunds.create(
    { payment_intent: intent.id, amount: 500, metadata: { refundKey: key } },
    { idempotencyKey: key },
  );
  assert.equal(replay.id, audit?.refunds[0]?.id);
  assert.equal(replay.lastResponse.headers['idempotent-replayed'], 'true');
  assert.equal((await auditOrder(t.emulator.url, orderId))[0]?.refunds.length, 1);
});

test("'delay' beyond the caller's timeout: the SDK times out, the effect lands later and is replayed", async () => {
  const orderId = uniqueOrderId();
  const intent = await authorized(orderId);
  const impatient = sdkFor(t.emulator.url, 'sk_test_x', { timeout: 200 });
  await rule({ operation: 'capture', orderId, mode: 'delay', delayMs: 800 });
  const key = `${orderId}:capture`;
  const error = await stripeError(impatient.paymentIntents.capture(intent.id, {}, { idempotencyKey: key }));
  assert.ok(error instanceof Stripe.errors.StripeConnectionError, error.constructor.name);
  assert.match(error.message, /timeout/);
  await eventually(
    'the intent to succeed',
    async () => (await t.stripe.paymentIntents.retrieve(intent.id)).status === 'succeeded' || undefined,
  );
  const replay = await impatient.paymentIntents.capture(intent.id, {}, { idempotencyKey: key });
  assert.equal(replay.lastResponse.headers['idempotent-replayed'], 'true');
  assert.equal(await captures(orderId), 1);
});

test('a rule without an operation hits every operation, `times` times, then stops', async () => {
  const orderId = uniqueOrderId();
  const window = await rule({ orderId, mode: 'error', times: 3 });
  const create = await stripeError(t.stripe.paymentIntents.create(authorizeParams(orderId)));
  assert.equal(create.statusCode, 500);
  await rule({ operation: 'create', orderId, mode: 'delay', delayMs: 0 }); // does not shadow the window
  const intent = await stripeError(t.stripe.paymentIntents.create(authorizeParams(orderId)));
  assert.equal(intent.statusCode, 500);
  assert.equal((await faultRules(t.emulator.url)).find((r) => r.id === window.id)?.hits, 2);
  assert.deepEqual(await auditOrder(t.emulator.url, orderId), []);
  const made = await stripeError(t.stripe.paymentIntents.create(authorizeParams(orderId)));
  assert.equal(made.statusCode, 500);
  assert.equal((await authorized(orderId)).status, 'requires_capture');
});

test('probability 0 never fires and is not counted; probability 1 always fires', async () => {
  const orderId = uniqueOrderId();
  const never = await rule({ operation: 'create', orderId, mode: 'error', probability: 0, times: 100 });
  for (let i = 0; i < 3; i++) assert.equal((await authorized(orderId)).status, 'requires_capture');
  assert.equal((await faultRules(t.emulator.url)).find((r) => r.id === never.id)?.hits, 0);
  await rule({ operation: 'create', orderId, mode: 'rate_limit', probability: 1 });
  assert.equal((await stripeError(t.stripe.paymentIntents.create(authorizeParams(orderId)))).statusCode, 429);
});

test('new modes are validated: probability within 0..1, decline not on refunds, no unknown modes', async () => {
  for (const body of [
    { mode: 'error', probability: 1.5 },
    { mode: 'error', probability: -0.1 },
    { operation: 'refund', mode: 'decline' },
    { mode: 'meltdown' },
    { mode: 'delay', delayMs: 120_001 },
  ])
    assert.equal((await addFault(t.emulator.url, body)).status, 400, JSON.stringify(body));
  assert.equal((await addFault(t.emulator.url, { mode: 'in_use', times: 1_000_000 })).status, 201);
  assert.equal((await fetch(`${t.emulator.url}/_emulator/faults`, { method: 'DELETE' })).status, 204);
});

test('expiring idempotency keys (Stripe forgets them after 24 h) makes the same key execute again', async () => {
  const orderId = uniqueOrderId();
  const intent = await t.stripe.paymentIntents.capture((await authorized(orderId)).id);
  const key = `${orderId}:refund:old`;
  const params = { payment_intent: intent.id, amount: 300 };
  const first = await t.stripe.refunds.create(params, { idempotencyKey: key });
  const res = await fetch(`${t.emulator.url}/_emulator/idempotency_keys`, { method: 'DELETE' });
  assert.ok(((await res.json()) as { expired: number }).expired >= 1);
  const second = await t.stripe.refunds.create(params, { idempotencyKey: key });
  assert.notEqual(second.id, first.id);
  assert.equal((await auditOrder(t.emulator.url, orderId))[0]?.refunds.length, 2);
});
