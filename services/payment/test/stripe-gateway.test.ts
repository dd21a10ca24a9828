// The Stripe adapter alone: how each SDK error becomes the domain's (unit), and the request
// deadline that caps every call's timeout and stops calls from starting after it (against
// the emulator through the real SDK). Plus the start-up rule that orders the timeouts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { startEmulator, type RunningEmulator } from '../../../tools/stripe-emulator/src/emulator';
import { loadPaymentConfig } from '../src/config';
import { Deadline } from '../src/domain/deadline';
import { AuthorizationRejected, PaymentError, isDefinitiveRefusal } from '../src/domain/errors';
import { StripeGateway, createStripeClient, toDomainError } from '../src/adapters/stripe/stripe-gateway';

const raw = (fields: Record<string, unknown>) => ({ message: 'from Stripe', ...fields });
const codeOf = (err: unknown) =>
  err instanceof PaymentError ? [err.kind, err.code] : ['not a PaymentError'];

test("Stripe's 409 idempotency_key_in_use is retryable (503 PAYMENT_PROVIDER_BUSY) whatever class the SDK uses", () => {
  const asApiError = new Stripe.errors.StripeAPIError(
    raw({ type: 'idempotency_error', code: 'idempotency_key_in_use', statusCode: 409 }),
  );
  const asIdempotencyError = new Stripe.errors.StripeIdempotencyError(
    raw({ type: 'idempotency_error', code: 'idempotency_key_in_use', statusCode: 409 }),
  );
  for (const operation of ['authorize', 'capture', 'cancel', 'refund'] as const)
    for (const err of [asApiError, asIdempotencyError]) {
      const mapped = toDomainError(err, operation, 'k');
      assert.deepEqual(codeOf(mapped), ['unavailable', 'PAYMENT_PROVIDER_BUSY'], `${operation} ${err.type}`);
      assert.ok(!(mapped instanceof AuthorizationRejected), 'never a decline');
      assert.ok(!isDefinitiveRefusal(mapped));
    }
});

test('rate limits, 5xx, connection errors, timeouts, 401/403 and unknown routes are unavailable, never final', () => {
  const errors = [
    new Stripe.errors.StripeRateLimitError(raw({ statusCode: 429, code: 'rate_limit' })),
    new Stripe.errors.StripeAPIError(raw({ statusCode: 500, type: 'api_error' })),
    new Stripe.errors.StripeConnectionError(raw({ message: 'socket hang up' })),
    new Stripe.errors.StripeConnectionError(
      raw({ message: 'Request aborted due to timeout being reached (300ms)' }),
    ),
    new Stripe.errors.StripeAuthenticationError(raw({ statusCode: 401 })),
    new Stripe.errors.StripePermissionError(raw({ statusCode: 403 })),
    new Stripe.errors.StripeInvalidRequestError(
      raw({ statusCode: 404, message: 'Unrecognized request URL' }),
    ),
  ];
  for (const err of errors)
    for (const operation of ['authorize', 'refund'] as const) {
      const mapped = toDomainError(err, operation);
      assert.deepEqual(codeOf(mapped), ['unavailable', 'PAYMENT_PROVIDER_UNAVAILABLE'], err.message);
      assert.ok(!isDefinitiveRefusal(mapped));
    }
});

test('a key reused with other parameters is a conflict, never a decline and never a definitive refusal', () => {
  const err = new Stripe.errors.StripeIdempotencyError(raw({ statusCode: 400, type: 'idempotency_error' }));
  const mapped = toDomainError(err, 'authorize', 'k');
  assert.deepEqual(codeOf(mapped), ['conflict', 'IDEMPOTENCY_KEY_REUSED']);
  assert.ok(!(mapped instanceof AuthorizationRejected));
  assert.ok(!isDefinitiveRefusal(toDomainError(err, 'refund', 'k')));
});

test("Stripe's 4xx refusals are definitive: declines, bad requests, the intent's state", () => {
  const card = toDomainError(
    new Stripe.errors.StripeCardError(
      raw({ statusCode: 402, code: 'card_declined', decline_code: 'insufficient_funds' }),
    ),
    'authorize',
  );
  assert.ok(card instanceof AuthorizationRejected);
  const tooLarge = toDomainError(
    new Stripe.errors.StripeInvalidRequestError(raw({ statusCode: 400, code: 'amount_too_large' })),
    'refund',
  );
  assert.deepEqual(codeOf(tooLarge), ['rejected', 'PAYMENT_PROVIDER_REJECTED']);
  const state = toDomainError(
    new Stripe.errors.StripeInvalidRequestError(
      raw({ statusCode: 400, code: 'payment_intent_unexpected_state' }),
    ),
    'capture',
  );
  assert.deepEqual(codeOf(state), ['conflict', 'PAYMENT_PROVIDER_STATE_CONFLICT']);
  for (const err of [card, tooLarge, state]) assert.ok(isDefinitiveRefusal(err));
});

let emulator: RunningEmulator;
let gateway: StripeGateway;
before(async () => {
  emulator = await startEmulator({ port: 0 });
  const timeoutMs = 5_000;
  gateway = new StripeGateway(
    createStripeClient({ secretKey: 'sk_test_gateway', apiUrl: emulator.url, timeoutMs }),
    {
      timeoutMs,
    },
  );
});
after(() => emulator.close());

const authorizeInput = (orderId: string) => ({
  orderId,
  customerId: 'c',
  amount: 1000,
  currency: 'eur',
  paymentMethod: 'pm_card_visa',
});

test("each call's timeout is capped by what is left of the request's deadline", async () => {
  const orderId = `order-deadline-${Date.now()}`;
  const intent = await gateway.authorize(authorizeInput(orderId), `${orderId}:authorize`);
  emulator.faults.add({ operation: 'capture', orderId, mode: 'delay', delayMs: 3_000 });
  const started = Date.now();
  const err = await gateway
    .within(Deadline.in(300))
    .capture(intent.id, `${orderId}:capture`)
    .catch((e: unknown) => e);
  const took = Date.now() - started;
  assert.deepEqual(codeOf(err), ['unavailable', 'PAYMENT_PROVIDER_UNAVAILABLE']);
  // Without the cap the call would wait for the delay (3 s) or STRIPE_TIMEOUT_MS (5 s).
  assert.ok(took < 2_500, `the call took ${took} ms`);
});

test('no Stripe call starts once the deadline has passed', async () => {
  const before = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as { requests: number };
  const err = await gateway
    .within(Deadline.in(0))
    .retrieve('pi_any')
    .catch((e: unknown) => e);
  assert.deepEqual(codeOf(err), ['unavailable', 'PAYMENT_DEADLINE_EXCEEDED']);
  const afterwards = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as { requests: number };
  assert.equal(afterwards.requests, before.requests);
});

test('findRefund finds a refund by the key in its metadata, across pages', async () => {
  const orderId = `order-lookup-${Date.now()}`;
  const intent = await gateway.authorize(
    { ...authorizeInput(orderId), amount: 20_000 },
    `${orderId}:authorize`,
  );
  await gateway.capture(intent.id, `${orderId}:capture`);
  // 101 refunds: the oldest is on the second page of 100 (Stripe lists newest first).
  for (let i = 0; i < 101; i++)
    await gateway.refund(
      { paymentIntentId: intent.id, orderId, amount: 100, reason: null, refundKey: `${orderId}:refund:${i}` },
      `${orderId}:refund:${i}`,
    );
  assert.equal((await gateway.findRefund(intent.id, `${orderId}:refund:0`))?.amount, 100);
  assert.equal(await gateway.findRefund(intent.id, `${orderId}:refund:none`), undefined);
});

test('STRIPE_TIMEOUT_MS must stay below PAYMENT_REQUEST_DEADLINE_MS; the defaults are 10 s and 20 s', () => {
  const env = { NODE_ENV: 'test', PAYMENTS_DATABASE_URL: 'postgres://x' };
  const config = loadPaymentConfig(env);
  assert.deepEqual([config.STRIPE_TIMEOUT_MS, config.PAYMENT_REQUEST_DEADLINE_MS], [10_000, 20_000]);
  assert.throws(
    () => loadPaymentConfig({ ...env, STRIPE_TIMEOUT_MS: '20000', PAYMENT_REQUEST_DEADLINE_MS: '20000' }),
    /STRIPE_TIMEOUT_MS must be below PAYMENT_REQUEST_DEADLINE_MS/,
  );
});
