// Unknown is never final: for authorize, capture, void and refund, every way Stripe can leave
// the outcome unknown (its key in use, a rate limit, a 5xx before or after the effect, a
// connection reset, a call slower than STRIPE_TIMEOUT_MS) is answered 503 with nothing final
// recorded, and retrying the same request ends with the money at Stripe equal to the table.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  eventually,
  startPaymentService,
  untilAnswered,
  uniqueOrderId,
  type PaymentService,
  type Reply,
} from './harness';

let svc: PaymentService;
before(async () => {
  // A short Stripe timeout so a 1.5 s delay is "slower than the caller waits".
  svc = await startPaymentService({ stripeTimeoutMs: 400, requestDeadlineMs: 3_000 });
});
after(() => svc.close());

const SLOW_MS = 1_500;

async function assertMoneyMatches(orderId: string) {
  const money = await svc.money(orderId);
  assert.ok(money.stripe.intents <= 1, `one intent at most, got ${money.stripe.intents}`);
  assert.deepEqual(
    { captured: money.table.captured, refunded: money.table.refunded, pending: money.table.pendingRefunds },
    { captured: money.stripe.captured, refunded: money.stripe.refunded, pending: 0 },
  );
}

interface Case {
  op: string;
  /** The emulator operation a rule must name, and the effect it logs. */
  stripeOp: string;
  effect: string;
  prepare(orderId: string): Promise<void>;
  call(orderId: string): Promise<Reply>;
  /** After an unknown outcome: nothing final recorded. */
  stillUnknown(orderId: string): Promise<void>;
  settled(reply: Reply): void;
}

const payment = async (orderId: string) => (await svc.get(`/v1/payments/${orderId}`)).body;
const status = async (orderId: string) => (await payment(orderId)).status;

const cases: Case[] = [
  {
    op: 'authorize',
    stripeOp: 'create',
    effect: 'confirm',
    prepare: async () => {},
    call: (orderId) => svc.authorize(orderId),
    async stillUnknown(orderId) {
      // Never DECLINED: an unknown outcome is not the card's fault.
      assert.equal(await status(orderId), 'AUTHORIZING');
    },
    settled(reply) {
      assert.ok([200, 201].includes(reply.status), JSON.stringify(reply.body));
      assert.equal(reply.body.status, 'AUTHORIZED');
    },
  },
  {
    op: 'capture',
    stripeOp: 'capture',
    effect: 'capture',
    async prepare(orderId) {
      assert.equal((await svc.authorize(orderId)).status, 201);
    },
    call: (orderId) => svc.post(`/v1/payments/${orderId}/capture`, undefined, `${orderId}:capture`),
    async stillUnknown(orderId) {
      assert.equal(await status(orderId), 'CAPTURING');
    },
    settled(reply) {
      assert.deepEqual([reply.status, reply.body.status, reply.body.captured], [200, 'CAPTURED', 5000]);
    },
  },
  {
    op: 'void',
    stripeOp: 'cancel',
    effect: 'cancel',
    async prepare(orderId) {
      assert.equal((await svc.authorize(orderId)).status, 201);
    },
    call: (orderId) => svc.post(`/v1/payments/${orderId}/void`, undefined, `${orderId}:void`),
    async stillUnknown(orderId) {
      assert.equal(await status(orderId), 'AUTHORIZED');
    },
    settled(reply) {
      assert.deepEqual([reply.status, reply.body.status], [200, 'VOIDED']);
    },
  },
  {
    op: 'refund',
    stripeOp: 'refund',
    effect: 'refund',
    async prepare(orderId) {
      assert.equal((await svc.authorize(orderId)).status, 201);
      assert.equal(
        (await svc.post(`/v1/payments/${orderId}/capture`, undefined, `${orderId}:capture`)).status,
        200,
      );
    },
    call: (orderId) => svc.post(`/v1/payments/${orderId}/refunds`, { amount: 1200 }, `${orderId}:refund:1`),
    async stillUnknown(orderId) {
      // The reservation holds: shown as pending, never failed, and not yet refunded.
      const doc = await payment(orderId);
      assert.deepEqual([doc.status, doc.refunded, doc.refundPending], ['CAPTURED', 0, 1200]);
      const refunds = doc.refunds as { idempotencyKey: string; status: string; refundId: string | null }[];
      assert.deepEqual(
        refunds.map((r) => [r.idempotencyKey, r.status, r.refundId]),
        [[`${orderId}:refund:1`, 'pending', null]],
      );
    },
    settled(reply) {
      assert.ok([200, 201].includes(reply.status), JSON.stringify(reply.body));
      assert.deepEqual([reply.body.amount, reply.body.totalRefunded], [1200, 1200]);
    },
  },
];

interface Mode {
  name: string;
  rule: Record<string, unknown>;
  /** The problem code of the 503 (a refund's is REFUND_PENDING, naming this as providerCode). */
  code: string;
  /** The effect lands after the caller gave up; wait for it before retrying. */
  landsLater?: boolean;
  /** The SDK re-sends a closed connection once by itself, answered from Stripe's replay. */
  sdkRecovers?: boolean;
}

const modes: Mode[] = [
  {
    name: "Stripe's 409 idempotency_key_in_use (rule)",
    rule: { mode: 'in_use' },
    code: 'PAYMENT_PROVIDER_BUSY',
  },
  { name: '429 rate limit', rule: { mode: 'rate_limit' }, code: 'PAYMENT_PROVIDER_UNAVAILABLE' },
  { name: '500 before the effect', rule: { mode: 'error' }, code: 'PAYMENT_PROVIDER_UNAVAILABLE' },
  {
    name: '500 after the effect',
    rule: { mode: 'error_after_effect' },
    code: 'PAYMENT_PROVIDER_UNAVAILABLE',
  },
  { name: 'connection reset twice', rule: { mode: 'reset', times: 2 }, code: 'PAYMENT_PROVIDER_UNAVAILABLE' },
  {
    name: 'connection reset after the effect',
    rule: { mode: 'reset_after_effect' },
    code: 'PAYMENT_PROVIDER_UNAVAILABLE',
    sdkRecovers: true,
  },
  {
    name: `a call slower than STRIPE_TIMEOUT_MS (${SLOW_MS} ms)`,
    rule: { mode: 'delay', delayMs: SLOW_MS },
    code: 'PAYMENT_PROVIDER_UNAVAILABLE',
    landsLater: true,
  },
];

function assertUnknownAnswer(c: Case, reply: Reply, code: string) {
  assert.equal(reply.status, 503, JSON.stringify(reply.body));
  if (c.op === 'refund') {
    assert.deepEqual(
      [reply.body.code, reply.body.providerCode, reply.body.refundStatus],
      ['REFUND_PENDING', code, 'pending'],
    );
  } else assert.equal(reply.body.code, code);
}

for (const c of cases)
  for (const mode of modes)
    test(`${c.op} × ${mode.name}: retryable, nothing final recorded, then settled once`, async () => {
      const orderId = uniqueOrderId();
      await c.prepare(orderId);
      await svc.fault({ operation: c.stripeOp, orderId, ...mode.rule });
      const first = await c.call(orderId);
      if (mode.sdkRecovers && first.status !== 503) c.settled(first);
      else {
        assertUnknownAnswer(c, first, mode.code);
        await c.stillUnknown(orderId);
        if (mode.landsLater)
          await eventually(
            `the ${c.effect} at Stripe`,
            async () => (await svc.effects(orderId, c.effect)) >= 1 || undefined,
          );
        c.settled(await untilAnswered(() => c.call(orderId)));
      }
      assert.ok((await svc.effects(orderId, c.effect)) <= 1, 'the operation took effect at most once');
      c.settled(await c.call(orderId)); // and a replay answers the same
      await assertMoneyMatches(orderId);
    });

for (const c of cases)
  test(`${c.op} × a natural in-use 409 (a retry while the slow first call still runs): 503 BUSY, then settled`, async () => {
    const orderId = uniqueOrderId();
    await c.prepare(orderId);
    // Long enough that the retry below surely arrives while the first call is inside Stripe.
    const slow = await svc.fault({ operation: c.stripeOp, orderId, mode: 'delay', delayMs: 4_000 });
    const first = await c.call(orderId);
    assertUnknownAnswer(c, first, 'PAYMENT_PROVIDER_UNAVAILABLE');
    await svc.untilHit(slow);
    const retry = await c.call(orderId);
    assertUnknownAnswer(c, retry, 'PAYMENT_PROVIDER_BUSY');
    await c.stillUnknown(orderId);
    c.settled(await untilAnswered(() => c.call(orderId)));
    assert.equal(await svc.effects(orderId, c.effect), 1);
    await assertMoneyMatches(orderId);
  });
