// A capture is never left standing without its refund. The saga's compensations after a
// capture it gave up on — the refund of everything captured, then the void — must end with
// captured − refunded = 0 at Stripe and in the table, whenever the capture lands (never,
// before the compensation, or while it runs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  eventually,
  startPaymentService,
  untilAnswered,
  uniqueOrderId,
  type PaymentService,
} from './harness';

let svc: PaymentService;
before(async () => {
  svc = await startPaymentService({ stripeTimeoutMs: 400, requestDeadlineMs: 3_000 });
});
after(() => svc.close());

const SLOW_MS = 1_500;

const capture = (orderId: string) =>
  svc.post(`/v1/payments/${orderId}/capture`, undefined, `${orderId}:capture`);
const compensateCapture = (orderId: string) =>
  svc.post(`/v1/payments/${orderId}/refunds`, {}, `${orderId}:refund:compensation`);
const voidIt = (orderId: string) => svc.post(`/v1/payments/${orderId}/void`, undefined, `${orderId}:void`);

/** The saga's unwinding after the capture step failed: refund compensation, then void. */
async function compensate(orderId: string) {
  const refund = await untilAnswered(() => compensateCapture(orderId));
  assert.ok([200, 201].includes(refund.status), JSON.stringify(refund.body));
  const voided = await untilAnswered(() => voidIt(orderId));
  assert.equal(voided.status, 200, JSON.stringify(voided.body));
  return { refund, voided };
}

/**
 * Waits until every request of the order that a delay rule holds inside the emulator has
 * finished (landed or been refused): each waits SLOW_MS after it arrived, and all arrived
 * within SLOW_MS of `since`. Not a race bound: the assertions after it hold at any later time.
 */
async function stripeQuiet(orderId: string, since: number) {
  await eventually(
    'the slow calls to have ended',
    async () => Date.now() - since > SLOW_MS * 2 + 500 || undefined,
  );
  const intents = await svc.audit(orderId);
  return intents;
}

async function assertNothingKept(orderId: string) {
  const money = await svc.money(orderId);
  assert.equal(
    money.stripe.captured - money.stripe.refunded,
    0,
    `Stripe keeps money: ${JSON.stringify(money)}`,
  );
  assert.equal(money.table.captured - money.table.refunded, 0, `table keeps money: ${JSON.stringify(money)}`);
  assert.deepEqual(
    [money.table.captured, money.table.refunded],
    [money.stripe.captured, money.stripe.refunded],
  );
  assert.equal(money.table.pendingRefunds, 0);
}

test('a capture still in flight when the refund compensation runs never lands after it; the void then succeeds', async () => {
  const orderId = uniqueOrderId();
  assert.equal((await svc.authorize(orderId)).status, 201);
  const started = Date.now();
  await svc.fault({ operation: 'capture', orderId, mode: 'delay', delayMs: SLOW_MS });
  const slow = await capture(orderId);
  assert.equal(slow.status, 503);
  // Before the fix, reading `requires_capture` here flipped the payment back to AUTHORIZED and
  // the compensation refunded 0; the capture then landed, and the void failed forever (409
  // PAYMENT_CAPTURED) with the customer charged. Now the compensation fences the capture.
  const refund = await untilAnswered(() => compensateCapture(orderId));
  assert.deepEqual([refund.status, refund.body.amount], [200, 0]);
  await stripeQuiet(orderId, started); // the slow capture has had its chance to land
  const voided = await untilAnswered(() => voidIt(orderId));
  assert.deepEqual([voided.status, voided.body.status], [200, 'VOIDED']);
  const [intent] = await svc.audit(orderId);
  assert.equal(intent?.status, 'canceled');
  assert.equal(await svc.effects(orderId, 'capture'), 0);
  // The saga's late capture retry is refused for good.
  const late = await capture(orderId);
  assert.deepEqual([late.status, late.body.code], [409, 'PAYMENT_NOT_AUTHORIZED']);
  await assertNothingKept(orderId);
});

test('a slow capture that landed before the compensation is refunded in full', async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId, { amount: 4200 });
  await svc.fault({ operation: 'capture', orderId, mode: 'delay', delayMs: SLOW_MS });
  assert.equal((await capture(orderId)).status, 503);
  await eventually(
    'one capture at Stripe',
    async () => (await svc.effects(orderId, 'capture')) === 1 || undefined,
  );
  const { refund, voided } = await compensate(orderId);
  assert.deepEqual([refund.body.amount, refund.body.status], [4200, 'REFUNDED']);
  assert.equal(voided.body.status, 'REFUNDED');
  await assertNothingKept(orderId);
});

test('the fence itself slow: the capture lands first, the fence finds it captured and it is refunded', async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId);
  const started = Date.now();
  await svc.fault({ operation: 'capture', orderId, mode: 'delay', delayMs: SLOW_MS });
  await svc.fault({ operation: 'cancel', orderId, mode: 'delay', delayMs: SLOW_MS });
  assert.equal((await capture(orderId)).status, 503);
  const fenceTimedOut = await compensateCapture(orderId);
  assert.equal(fenceTimedOut.status, 503, JSON.stringify(fenceTimedOut.body));
  assert.equal((await svc.get(`/v1/payments/${orderId}`)).body.status, 'CAPTURING');
  await compensate(orderId);
  await stripeQuiet(orderId, started);
  await assertNothingKept(orderId);
});

test('a void that finds the capture unsettled fences it too', async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId);
  const started = Date.now();
  await svc.fault({ operation: 'capture', orderId, mode: 'delay', delayMs: SLOW_MS });
  assert.equal((await capture(orderId)).status, 503);
  const voided = await untilAnswered(() => voidIt(orderId));
  assert.deepEqual([voided.status, voided.body.status], [200, 'VOIDED']);
  await stripeQuiet(orderId, started);
  await assertNothingKept(orderId);
});

test('a capture that lands between the refund compensation and the void is refunded by the void', async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId);
  // The capture request has not reached the service yet: the compensation finds nothing to refund.
  const nothing = await compensateCapture(orderId);
  assert.deepEqual([nothing.status, nothing.body.amount], [200, 0]);
  assert.equal((await capture(orderId)).status, 200); // the late request arrives and captures
  const voided = await untilAnswered(() => voidIt(orderId));
  assert.deepEqual([voided.status, voided.body.status, voided.body.refunded], [200, 'REFUNDED', 5000]);
  const [intent] = await svc.audit(orderId);
  assert.deepEqual(
    intent?.refunds.map((r) => r.metadata.refundKey),
    [`${orderId}:refund:void`],
  );
  await assertNothingKept(orderId);
});

test('a void on a captured payment settles a pending refund with its own key before refunding the rest', async () => {
  const orderId = uniqueOrderId();
  await svc.authorize(orderId);
  assert.equal((await capture(orderId)).status, 200);
  await svc.fault({ operation: 'refund', orderId, mode: 'error_after_effect' });
  const support = await svc.post(
    `/v1/payments/${orderId}/refunds`,
    { amount: 1000 },
    `${orderId}:refund:support`,
  );
  assert.equal(support.status, 503);
  const voided = await untilAnswered(() => voidIt(orderId));
  assert.deepEqual([voided.status, voided.body.status, voided.body.refunded], [200, 'REFUNDED', 5000]);
  const [intent] = await svc.audit(orderId);
  assert.deepEqual(
    intent?.refunds.map((r) => [r.metadata.refundKey, r.amount]),
    [
      [`${orderId}:refund:support`, 1000],
      [`${orderId}:refund:void`, 4000],
    ],
  );
  await assertNothingKept(orderId);
});

test('whatever the capture fault and its timing, refund compensation then void leave captured − refunded = 0', async () => {
  const faults: Record<string, unknown>[] = [
    { mode: 'error' },
    { mode: 'error_after_effect' },
    { mode: 'reset', times: 2 },
    { mode: 'reset_after_effect' },
    { mode: 'rate_limit' },
    { mode: 'in_use' },
    { mode: 'delay', delayMs: SLOW_MS },
    { mode: 'delay', delayMs: 200 },
  ];
  const started = Date.now();
  const orders = await Promise.all(
    faults.map(async (fault) => {
      const orderId = uniqueOrderId();
      await svc.authorize(orderId);
      await svc.fault({ operation: 'capture', orderId, ...fault });
      await capture(orderId);
      const refund = await untilAnswered(() => compensateCapture(orderId));
      assert.ok([200, 201].includes(refund.status), JSON.stringify(refund.body));
      return orderId;
    }),
  );
  // The void comes only after every slow capture has landed or been refused: the worst timing.
  for (const orderId of orders) await stripeQuiet(orderId, started);
  for (const orderId of orders) {
    const voided = await untilAnswered(() => voidIt(orderId));
    assert.equal(voided.status, 200, JSON.stringify(voided.body));
    await assertNothingKept(orderId);
  }
});
