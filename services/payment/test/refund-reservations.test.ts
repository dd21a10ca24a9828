// A refund reservation is released only when Stripe definitively says the refund did not
// happen; every other answer keeps it pending, visible to operators, and settled later from
// Stripe's own record (its refunds carry our key in `metadata.refundKey`).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { startPaymentService, uniqueOrderId, type PaymentService } from './harness';

let svc: PaymentService;
/** The same service, looking every pending refund up at Stripe before re-sending it. */
let eager: PaymentService;
before(async () => {
  [svc, eager] = await Promise.all([startPaymentService(), startPaymentService({ refundLookupAfterMs: 0 })]);
});
after(() => Promise.all([svc.close(), eager.close()]));

/** The SDK on the service's own Stripe account, to act at Stripe behind the service's back. */
const stripeOf = (s: PaymentService) => {
  const { hostname, port } = new URL(s.emulator.url);
  return new Stripe('sk_test_payment_tests', {
    host: hostname,
    port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });
};

const expireStripeKeys = async (s: PaymentService) =>
  (await fetch(`${s.emulator.url}/_emulator/idempotency_keys`, { method: 'DELETE' })).json();

async function capturedPayment(s: PaymentService, amount = 5000) {
  const orderId = uniqueOrderId();
  const authorized = await s.authorize(orderId, { amount });
  assert.equal(authorized.status, 201);
  assert.equal(
    (await s.post(`/v1/payments/${orderId}/capture`, undefined, `${orderId}:capture`)).status,
    200,
  );
  return { orderId, intentId: String(authorized.body.paymentIntentId) };
}

const refund = (s: PaymentService, orderId: string, body: Record<string, unknown>, key: string) =>
  s.post(`/v1/payments/${orderId}/refunds`, body, key);
const settle = (s: PaymentService, orderId: string, key: string) =>
  s.post(`/v1/payments/${orderId}/refunds/${encodeURIComponent(key)}/settle`, undefined, null);
const pendingKeys = async (s: PaymentService, orderId: string) =>
  ((await s.get(`/v1/payments/${orderId}`)).body.refunds as { idempotencyKey: string; status: string }[])
    .filter((r) => r.status === 'pending')
    .map((r) => r.idempotencyKey);

test("Stripe's definitive refusal releases the reservation: 422, and the amount is refundable again", async () => {
  const { orderId, intentId } = await capturedPayment(svc);
  // Behind the service's back most of the money is refunded, so Stripe refuses ours.
  await stripeOf(svc).refunds.create({ payment_intent: intentId, amount: 4500 });
  const key = `${orderId}:refund:1`;
  const refused = await refund(svc, orderId, { amount: 1000 }, key);
  assert.deepEqual(
    [refused.status, refused.body.code, refused.body.stripeCode],
    [422, 'PAYMENT_PROVIDER_REJECTED', 'amount_too_large'],
  );
  const doc = (await svc.get(`/v1/payments/${orderId}`)).body;
  assert.deepEqual([doc.refunds, doc.refundPending, doc.refunded], [[], 0, 0]);
  const over = await refund(svc, orderId, { amount: 5001 }, `${orderId}:refund:probe`);
  assert.deepEqual([over.status, over.body.refundable], [422, 5000]);
});

test('the same key with other parameters at Stripe (400 idempotency_error) keeps the reservation', async () => {
  const { orderId, intentId } = await capturedPayment(svc);
  const key = `${orderId}:refund:clash`;
  // An earlier request under this key that Stripe took with other parameters: it may have
  // refunded, so the reservation must not be given back.
  await stripeOf(svc).refunds.create({ payment_intent: intentId, amount: 100 }, { idempotencyKey: key });
  const clash = await refund(svc, orderId, { amount: 700 }, key);
  assert.deepEqual([clash.status, clash.body.code], [409, 'IDEMPOTENCY_KEY_REUSED']);
  assert.deepEqual(await pendingKeys(svc, orderId), [key]);
  const blocked = await refund(svc, orderId, { amount: 4301 }, `${orderId}:refund:more`);
  assert.deepEqual([blocked.status, blocked.body.refundable], [422, 4300]);
});

test('after Stripe forgot the key, a re-sent refund that Stripe refuses is found by refundKey, not released', async () => {
  const { orderId } = await capturedPayment(svc);
  const key = `${orderId}:refund:all`;
  await svc.fault({ operation: 'refund', orderId, mode: 'error_after_effect' });
  assert.equal((await refund(svc, orderId, { amount: 5000 }, key)).status, 503);
  await expireStripeKeys(svc);
  // The re-send executes anew and Stripe says "already refunded": only the lookup tells that
  // it was this very refund, which succeeded.
  const settled = await refund(svc, orderId, { amount: 5000 }, key);
  assert.deepEqual(
    [settled.status, settled.body.totalRefunded, settled.body.status],
    [201, 5000, 'REFUNDED'],
  );
  assert.equal(await svc.effects(orderId, 'refund'), 1);
  const money = await svc.money(orderId);
  assert.deepEqual([money.table.refunded, money.stripe.refunded], [5000, 5000]);
});

test('an old pending refund is looked up at Stripe before a re-send: no second refund once keys expire', async () => {
  const { orderId } = await capturedPayment(eager);
  const key = `${orderId}:refund:partial`;
  await eager.fault({ operation: 'refund', orderId, mode: 'error_after_effect' });
  assert.equal((await refund(eager, orderId, { amount: 1500 }, key)).status, 503);
  await expireStripeKeys(eager);
  const settled = await refund(eager, orderId, { amount: 1500 }, key);
  assert.deepEqual([settled.status, settled.body.totalRefunded], [201, 1500]);
  assert.equal(
    await eager.effects(orderId, 'refund'),
    1,
    'a partial refund re-sent blindly would refund twice',
  );
});

test('operators list pending refunds oldest first, and settle them: pending (503), then succeeded', async () => {
  const { orderId } = await capturedPayment(svc);
  const keys = [`${orderId}:refund:a`, `${orderId}:refund:b`];
  await svc.fault({ operation: 'refund', orderId, mode: 'error', times: 3 });
  for (const key of keys) assert.equal((await refund(svc, orderId, { amount: 1000 }, key)).status, 503);

  const listed = await svc.get('/v1/refunds?status=pending&olderThanSeconds=0&limit=1000');
  assert.equal(listed.status, 200);
  const mine = (
    listed.body.items as { orderId: string; idempotencyKey: string; amount: number; ageSeconds: number }[]
  ).filter((r) => r.orderId === orderId);
  assert.deepEqual(
    mine.map((r) => [r.idempotencyKey, r.amount]),
    keys.map((k) => [k, 1000]),
  );
  assert.ok(mine.every((r) => r.ageSeconds >= 0));
  const recentOnly = await svc.get('/v1/refunds?status=pending&olderThanSeconds=3600&limit=1000');
  assert.ok(!(recentOnly.body.items as { orderId: string }[]).some((r) => r.orderId === orderId));
  assert.equal((await svc.get('/v1/refunds?status=succeeded')).status, 400);

  const still = await settle(svc, orderId, keys[0] ?? '');
  assert.deepEqual(
    [still.status, still.body.code, still.body.refundStatus],
    [503, 'REFUND_PENDING', 'pending'],
  );
  const done = await settle(svc, orderId, keys[0] ?? '');
  assert.deepEqual([done.status, done.body.status, done.body.amount], [200, 'succeeded', 1000]);
  assert.match(String(done.body.refundId), /^re_/);
  assert.deepEqual((await settle(svc, orderId, keys[0] ?? '')).body.status, 'succeeded');
  assert.deepEqual(await pendingKeys(svc, orderId), [keys[1]]);
  assert.equal((await settle(svc, orderId, `${orderId}:refund:unknown`)).body.code, 'REFUND_NOT_FOUND');
});

test("settle releases a pending refund Stripe refuses for good, naming Stripe's reason", async () => {
  const { orderId, intentId } = await capturedPayment(svc);
  const key = `${orderId}:refund:late`;
  await svc.fault({ operation: 'refund', orderId, mode: 'error' });
  assert.equal((await refund(svc, orderId, { amount: 2000 }, key)).status, 503);
  await stripeOf(svc).refunds.create({ payment_intent: intentId }); // everything, behind our back
  const released = await settle(svc, orderId, key);
  assert.equal(released.status, 200, JSON.stringify(released.body));
  assert.equal(released.body.status, 'released');
  assert.equal((released.body.releasedBecause as { code: string }).code, 'PAYMENT_PROVIDER_REJECTED');
  assert.deepEqual(await pendingKeys(svc, orderId), []);
});

test('/metrics shows payments_refunds_pending and the age of the oldest', async () => {
  const { orderId } = await capturedPayment(svc);
  await svc.fault({ operation: 'refund', orderId, mode: 'error' });
  assert.equal((await refund(svc, orderId, { amount: 10 }, `${orderId}:refund:m`)).status, 503);
  const text = await (await fetch(`${svc.metricsUrl}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1]);
  assert.ok(value('payments_refunds_pending') >= 1, text.slice(0, 200));
  assert.ok(value('payments_refunds_pending_oldest_age_seconds') >= 0);
});

test('the operator command lists and settles through the HTTP API', async () => {
  const { orderId } = await capturedPayment(svc);
  const key = `${orderId}:refund:cli`;
  await svc.fault({ operation: 'refund', orderId, mode: 'error' });
  assert.equal((await refund(svc, orderId, { amount: 300 }, key)).status, 503);
  const cli = fileURLToPath(new URL('../src/cli/refunds.ts', import.meta.url));
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { ...process.env, PAYMENT_SERVICE_URL: svc.url, INTERNAL_API_TOKEN: svc.internalApiToken },
    });
  const listed = JSON.parse((await run('pending', '--json', '--limit', '1000')).stdout) as {
    idempotencyKey: string;
  }[];
  assert.ok(listed.some((r) => r.idempotencyKey === key));
  assert.match((await run('pending')).stdout, new RegExp(key));
  const settled = await run('settle', orderId, key);
  assert.match(settled.stdout, /^succeeded: refund re_/);
  await assert.rejects(run('settle', orderId), (err: { code?: number }) => err.code === 2);
  // Outside development it sends no request without the token, and a wrong one is refused.
  const withToken = (token: string) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'pending'], {
      env: {
        ...process.env,
        PAYMENT_SERVICE_URL: svc.url,
        INTERNAL_API_TOKEN: token,
        NODE_ENV: 'production',
      },
    });
  await assert.rejects(
    withToken(''),
    (err: { code?: number; stderr?: string }) =>
      err.code === 2 && /INTERNAL_API_TOKEN/.test(err.stderr ?? ''),
  );
  await assert.rejects(
    withToken('not-the-token'),
    (err: { code?: number; stderr?: string }) => err.code === 1 && /401/.test(err.stderr ?? ''),
  );
});
