// Faults that must cost no money, stock or e-mail, through the public API on the real stack:
// a hold that expires under a slow saga, a refund whose outcome stays unknown for a while, a
// saga cancelled from the Temporal side mid-step, local steps (commit, the outcome's record) slow
// or refused, and a participant answering 401 without a code.
// Last, the doors of the services as deployed: the internal token, and /metrics on its own port.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { clients, newCustomer, supportToken } from './clients';
import { localActivityAttempt } from '../../src/history/local-activity-marker';
import { orderWorkflowId } from '../../src/shared';
import { eventually, startTestSystem, uniqueSku, type TestSystem } from './system-under-test';

let t: TestSystem;
let api: ReturnType<typeof clients>;
let support: string;

// Holds live 20 s here (the sweep runs every 200 ms), so a saga held up longer loses its hold.
const HOLD_TTL_SECONDS = 20;

before(async () => {
  t = await startTestSystem('faults', {
    refundWindowSeconds: 600,
    appEnv: {
      RESERVATION_TTL_SECONDS: String(HOLD_TTL_SECONDS),
      RESERVATION_SWEEP_INTERVAL_MS: '200',
      // Cancel and refund answer 202 (pending) after 3 s instead of 15 s.
      SUPPORT_REQUEST_WAIT_MS: '3000',
    },
  });
  api = clients(t);
  support = await supportToken();
});
after(() => t?.stop());

async function placeOrder(opts: { onHand?: number; quantity?: number } = {}) {
  const sku = uniqueSku('FLT');
  await api.inventory.createProduct(sku, { onHand: opts.onHand ?? 10, unitPrice: 2500 });
  const customer = await newCustomer();
  const res = await api.orders.place(
    customer.token,
    { items: [{ sku, quantity: opts.quantity ?? 2 }], paymentMethod: 'pm_card_visa' },
    randomUUID(),
  );
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return { sku, orderId: res.body.orderId, customer };
}

const orderOf = async (orderId: string) => (await api.orders.get(support, orderId)).body;
const untilStatus = (orderId: string, status: string, timeoutMs?: number) =>
  eventually(
    `order ${orderId} ${status}`,
    async () => {
      const order = await orderOf(orderId);
      return order.status === status ? order : undefined;
    },
    timeoutMs,
  );

async function sentMails(orderId: string, type: string, count: number) {
  return eventually(`${count} ${type} e-mail(s) for ${orderId}`, async () => {
    const sent = (await api.notifications.list(orderId)).filter(
      (n) => n.type === type && n.status === 'SENT',
    );
    return sent.length >= count ? sent : undefined;
  });
}

/** Captured minus refunded at Stripe, over every intent of the order, and how many intents. */
async function netAtStripe(orderId: string) {
  const intents = await api.stripe.intents(orderId);
  return {
    intents: intents.length,
    net: intents.reduce((sum, i) => sum + i.amount_received - i.amount_refunded, 0),
    held: intents.reduce((sum, i) => sum + i.amount_capturable, 0),
  };
}

describe('faults cost no money, stock or e-mail', { timeout: 300_000 }, () => {
  test('a hold that expires under a slow saga is never captured against: FAILED, nothing taken', async () => {
    const { orderId, sku } = await placeOrder({ onHand: 5, quantity: 2 });
    // The authorization takes longer than the hold lives (the payment service is slow to answer).
    await api.faults.inject('payment', {
      method: 'POST',
      path: '/v1/payments/authorize',
      match: { orderId },
      delayMs: (HOLD_TTL_SECONDS + 4) * 1000,
    });
    const order = await untilStatus(orderId, 'FAILED', 120_000);
    assert.deepEqual([order.failure?.step, order.failure?.code], ['capture', 'RESERVATION_EXPIRED']);
    assert.deepEqual(await netAtStripe(orderId), { intents: 1, net: 0, held: 0 });
    const product = await api.inventory.product(sku);
    assert.deepEqual([product.onHand, product.reserved], [5, 0]);
    assert.equal((await api.inventory.reservation(orderId)).body.status, 'EXPIRED');
    await sentMails(orderId, 'OrderFailed', 1);
  });

  test('a refund while Stripe keeps failing is pending, never failed; its items return once the money moved', async () => {
    const { orderId, sku } = await placeOrder({ onHand: 10, quantity: 2 });
    await untilStatus(orderId, 'COMPLETED');
    assert.equal((await api.inventory.product(sku)).onHand, 8);
    // Stripe fails the next four refund calls of this order (retried with the same key).
    for (let n = 0; n < 4; n++)
      assert.equal((await api.stripe.fault({ operation: 'refund', orderId, mode: 'error' })).status, 201);
    const key = randomUUID();
    const body = { amount: 2500, reason: 'one arrived broken', items: [{ sku, quantity: 1 }] };
    const pending = await api.orders.refund(support, orderId, body, key);
    assert.equal(pending.status, 202, JSON.stringify(pending.body));
    const during = await orderOf(orderId);
    const shown = during.saga?.refunds.find(
      (r) => r.refundId === (pending.body as { refundId: string }).refundId,
    );
    if (shown?.status === 'pending') {
      // Not refunded yet, so nothing is restocked yet either.
      assert.equal((await api.inventory.product(sku)).onHand, 8);
    } else assert.equal(shown?.status, 'done', 'a refund is pending or done, never failed');
    // The same key with another amount is a mistake, answered at once.
    const reused = await api.orders.refund(support, orderId, { ...body, amount: 2000 }, key);
    assert.deepEqual([reused.status, reused.body.code], [422, 'IDEMPOTENCY_KEY_REUSED']);

    await eventually('the refund done', async () =>
      (await orderOf(orderId)).saga?.refunds.every((r) => r.status === 'done') ? true : undefined,
    );
    assert.equal((await api.inventory.product(sku)).onHand, 9, 'the returned unit, once');
    const again = await api.orders.refund(support, orderId, body, key);
    assert.deepEqual([again.status, again.body.totalRefunded], [201, 2500]);
    assert.equal((await api.inventory.product(sku)).onHand, 9);
    assert.deepEqual(await netAtStripe(orderId), { intents: 1, net: 2500, held: 0 });
    assert.equal((await orderOf(orderId)).refunded, 2500);
    await sentMails(orderId, 'OrderRefunded', 1);
  });

  test('cancelled in Temporal during capture: CANCELLED on the order, announced, e-mailed, nothing kept', async () => {
    const { orderId, sku } = await placeOrder({ onHand: 4, quantity: 1 });
    await api.faults.inject('payment', {
      method: 'POST',
      path: '/v1/payments/:orderId/capture',
      match: { orderId },
      delayMs: 3_000,
    });
    await eventually('the capture step', async () =>
      (await orderOf(orderId)).saga?.currentStep === 'capture' ? true : undefined,
    );
    await t.temporal.workflow.getHandle(orderWorkflowId(orderId)).cancel();
    // The record turns CANCELLED at the cancelOrderRecord step; the compensations come with the
    // outcome a few steps later, so wait for that (a loaded machine shows the moment between).
    const order = await eventually(`order ${orderId} CANCELLED with its outcome`, async () => {
      const seen = await orderOf(orderId);
      return seen.status === 'CANCELLED' && seen.compensations.length > 0 ? seen : undefined;
    });
    assert.match(order.statusReason ?? '', /cancelled in Temporal/);
    assert.deepEqual(order.compensations, [
      'refundPayment',
      'cancelOrderRecord',
      'voidPayment',
      'releaseReservation',
    ]);
    // Whatever the late capture did, no money is kept and no hold is left standing.
    await eventually('Stripe settled', async () => {
      const stripe = await netAtStripe(orderId);
      return stripe.net === 0 && stripe.held === 0 ? stripe : undefined;
    });
    const product = await api.inventory.product(sku);
    assert.deepEqual([product.onHand, product.reserved], [4, 0]);
    await eventually('OrderCancelled on Kafka', async () =>
      t.events.get(orderId)?.some((e) => e.type === 'OrderCancelled') ? true : undefined,
    );
    await sentMails(orderId, 'OrderCancelled', 1);
  });

  test('Stripe slower than every timeout on capture: retried with its key, captured once, COMPLETED', async () => {
    const { orderId } = await placeOrder({ quantity: 2 });
    // Past the payment service's 10 s Stripe timeout: its answer is lost, the capture still lands,
    // and the retries meanwhile meet the key still in use (409) until Stripe's answer is known.
    assert.equal(
      (await api.stripe.fault({ operation: 'capture', orderId, mode: 'delay', delayMs: 13_000 })).status,
      201,
    );
    await untilStatus(orderId, 'COMPLETED', 120_000);
    assert.deepEqual(await netAtStripe(orderId), { intents: 1, net: 5000, held: 0 });
    const [intent] = await api.stripe.intents(orderId);
    assert.equal(
      intent?.operations.filter((o) => o.operation === 'capture' && o.outcome === 'succeeded').length,
      1,
    );
    const payment = (await api.payments.get(orderId)).body;
    assert.deepEqual([payment.status, payment.captured, payment.refunded], ['CAPTURED', 5000, 0]);
  });

  test('commit, a local step, slower than the worker waits and then answering 503: retried with its key on a timer, one commit, COMPLETED', async () => {
    const { orderId, sku, customer } = await placeOrder({ quantity: 2 });
    const path = '/v1/reservations/:orderId/commit';
    // Past the worker's 10 s call timeout: the worker gives up, the commit still lands after it.
    await api.faults.inject('inventory', { method: 'POST', path, match: { orderId }, delayMs: 12_000 });
    // Then three refusals: the backoff grows past the 2 s a local step retries within its task.
    await api.faults.inject('inventory', { method: 'POST', path, match: { orderId }, status: 503, times: 3 });
    await untilStatus(orderId, 'COMPLETED', 120_000);
    const product = await api.inventory.product(sku);
    assert.deepEqual([product.onHand, product.reserved], [8, 0], 'stock taken once');
    assert.deepEqual(await netAtStripe(orderId), { intents: 1, net: 5000, held: 0 });
    await sentMails(orderId, 'OrderCompleted', 1);
    assert.equal((await api.mail.to(customer.email)).length, 1, 'one e-mail');
    // The retry past 2 s of backoff waited on a durable timer: its attempt's marker says so.
    const { events } = await t.temporal.workflow.getHandle(orderWorkflowId(orderId)).fetchHistory();
    const commitAttempts = (events ?? []).flatMap((e) => {
      const attempt = localActivityAttempt(e.markerRecordedEventAttributes);
      return attempt?.activityType === 'commitReservation'
        ? [{ failed: attempt.failure !== null, backoff: attempt.backoff }]
        : [];
    });
    assert.ok(
      commitAttempts.some((a) => a.failed && a.backoff),
      JSON.stringify(commitAttempts),
    );
    assert.deepEqual(commitAttempts.at(-1), { failed: false, backoff: false });
  });

  test('the outcome’s record, a local step, refused with 503: recorded once it answers, COMPLETED announced once', async () => {
    const { orderId, sku, customer } = await placeOrder({ quantity: 1 });
    await api.faults.inject('order', {
      method: 'POST',
      path: '/internal/v1/orders/:id/outcome',
      match: { id: orderId },
      status: 503,
      times: 3,
    });
    const order = await untilStatus(orderId, 'COMPLETED', 120_000);
    assert.deepEqual(order.compensations, []);
    const product = await api.inventory.product(sku);
    assert.deepEqual([product.onHand, product.reserved], [9, 0]);
    assert.deepEqual(await netAtStripe(orderId), { intents: 1, net: 2500, held: 0 });
    await sentMails(orderId, 'OrderCompleted', 1);
    assert.equal((await api.mail.to(customer.email)).length, 1, 'one e-mail');
    const completed = await eventually('OrderCompleted on Kafka', async () => {
      const seen = (t.events.get(orderId) ?? []).filter((e) => e.type === 'OrderCompleted');
      return seen.length ? seen : undefined;
    });
    assert.equal(new Set(completed.map((e) => e.id)).size, 1, 'one OrderCompleted (a re-send keeps its id)');
  });

  test('a participant answering 401 without a code is retried and counted, not a failed order', async () => {
    const { orderId } = await placeOrder();
    // What a token mismatch during a rollout looks like: a bare 401, twice.
    await api.faults.inject('order', {
      method: 'POST',
      path: '/internal/v1/orders/:id/confirm',
      match: { id: orderId },
      status: 401,
      code: null,
      times: 2,
    });
    await untilStatus(orderId, 'COMPLETED');
    const metrics = await fetch(`${t.system.urls.worker}/metrics`).then((r) => r.text());
    const counted = /orders_service_call_unexpected_status_total\{service="order",status="401"\} (\d+)/.exec(
      metrics,
    );
    assert.ok(
      Number(counted?.[1] ?? 0) >= 2,
      metrics
        .split('\n')
        .filter((l) => l.includes('unexpected'))
        .join('\n'),
    );
  });
});

describe('the services as deployed (main.ts and its config)', () => {
  // One route of each plus its fault admin; every route is covered in each service's own tests.
  const doors = [
    { service: 'inventory', method: 'GET', path: '/v1/products?skus=MUG-LOGO' },
    { service: 'payment', method: 'GET', path: '/v1/refunds?status=pending' },
    { service: 'notification', method: 'GET', path: `/v1/notifications?orderId=${randomUUID()}` },
    { service: 'order', method: 'POST', path: `/internal/v1/orders/${randomUUID()}/confirm` },
  ] as const;

  test('every service refuses its internal routes and /_faults without the internal token or with a wrong one', async () => {
    for (const { service, method, path } of doors) {
      for (const [verb, where] of [
        [method, path],
        ['GET', '/_faults'],
      ] as const) {
        const url = `${t.system.urls[service]}${where}`;
        const ask = (authorization?: string) =>
          fetch(url, { method: verb, headers: authorization ? { authorization } : {} });
        const label = `${service} ${verb} ${where}`;
        assert.equal((await ask()).status, 401, `${label} without a token`);
        assert.equal((await ask('Bearer not-the-internal-token')).status, 401, `${label} with a wrong one`);
        assert.notEqual((await ask(`Bearer ${t.system.internalApiToken}`)).status, 401, `${label} with it`);
      }
    }
  });

  test('/metrics is on each app’s metrics port, not on its HTTP port', async () => {
    for (const service of ['order', 'inventory', 'payment', 'notification'] as const) {
      const onHttp = await fetch(`${t.system.urls[service]}/metrics`, {
        headers: { authorization: `Bearer ${t.system.internalApiToken}` },
      });
      assert.equal(onHttp.status, 404, `${service}: no /metrics on the HTTP port`);
      const scraped = await fetch(`${t.system.metricsUrls[service]}/metrics`);
      assert.equal(scraped.status, 200, service);
      assert.match(await scraped.text(), new RegExp(`service="${service}"`), service);
    }
    const worker = await fetch(`${t.system.metricsUrls.worker}/metrics`);
    assert.match(await worker.text(), /orders_task_queue_backlog/);
  });
});
