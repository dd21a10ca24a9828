// The order saga end to end on the real stack: placed through the public API, run by the real
// worker against the real services, Stripe emulator, Kafka and mail catcher. Each scenario
// checks the final state of every participant, the events and the e-mails.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clients, newCustomer, supportToken } from './clients';
import {
  eventually,
  recordHistory,
  sagaResult,
  startTestSystem,
  uniqueSku,
  type TestSystem,
} from './system-under-test';

let t: TestSystem;
let api: ReturnType<typeof clients>;

before(async () => {
  // A short refund window: these sagas close soon after completing.
  t = await startTestSystem('saga', { refundWindowSeconds: 2 });
  api = clients(t);
});
after(() => t?.stop());

async function placeOrder(opts: { sku: string; quantity: number; paymentMethod?: string }) {
  const customer = await newCustomer();
  const res = await api.orders.place(
    customer.token,
    {
      items: [{ sku: opts.sku, quantity: opts.quantity }],
      paymentMethod: opts.paymentMethod ?? 'pm_card_visa',
    },
    randomUUID(),
  );
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return { orderId: res.body.orderId, email: customer.email, token: customer.token, total: res.body.total };
}

/** The saga's outcome, then the e-mail for its last event: the moment every participant is settled. */
async function settle(orderId: string, email: string, lastEvent: string, token: string) {
  const result = await sagaResult(t, orderId);
  await eventually(`${lastEvent} e-mail for ${orderId}`, async () => {
    const sent = (await api.notifications.list(orderId)).find(
      (n) => n.type === lastEvent && n.status === 'SENT',
    );
    return sent ? true : undefined;
  });
  const mails = await api.mail.to(email);
  const events = await eventually(`${lastEvent} on the topic`, async () => {
    const seen = t.events.get(orderId) ?? [];
    return seen.some((e) => e.type === lastEvent) ? seen : undefined;
  });
  const order = (await api.orders.get(token, orderId)).body;
  return { result, mails, events, order };
}

// Bounded: a saga that never settles (e.g. a compensation stuck on a bug) fails instead of hanging CI.
describe('the order saga', { timeout: 300_000 }, () => {
  test('happy path: COMPLETED, stock decremented, payment captured, events in order, one confirmation e-mail', async () => {
    const sku = uniqueSku();
    await api.inventory.createProduct(sku, { onHand: 10, unitPrice: 1250 });
    const { orderId, email, token, total } = await placeOrder({ sku, quantity: 2 });
    assert.equal(total, 2500);

    const { result, mails, events, order } = await settle(orderId, email, 'OrderCompleted', token);
    assert.equal(result.status, 'COMPLETED');
    assert.equal(order.status, 'COMPLETED');
    assert.deepEqual(order.saga?.stepsCompleted, [
      'validate',
      'reserve',
      'authorize',
      'create',
      'capture',
      'commit',
    ]);
    assert.deepEqual(await api.inventory.product(sku), {
      ...(await api.inventory.product(sku)),
      onHand: 8,
      reserved: 0,
      available: 8,
    });
    assert.equal((await api.inventory.reservation(orderId)).body.status, 'COMMITTED');
    const payment = (await api.payments.get(orderId)).body;
    assert.equal(payment.status, 'CAPTURED');
    assert.equal(payment.captured, 2500);
    const [intent, ...others] = await api.stripe.intents(orderId);
    assert.equal(others.length, 0, 'exactly one PaymentIntent');
    assert.equal(intent?.status, 'succeeded');
    assert.equal(intent?.amount_received, 2500);
    assert.deepEqual(
      events.map((e) => `${e.sequence}:${e.type}`),
      ['1:OrderPlaced', '2:OrderConfirmed', '3:PaymentCaptured', '4:OrderCompleted'],
    );
    assert.equal(mails.length, 1);
    assert.match(mails[0]?.Subject ?? '', /confirmed/i);
    await recordHistory(orderId, 'completed');
  });

  interface Arrangement {
    quantity: number;
    onHand: number;
    paymentMethod?: string;
  }
  const failures: {
    name: string;
    step: string;
    code: string;
    compensations: string[];
    arrange: () => Promise<Arrangement>;
  }[] = [
    {
      name: 'out of stock at reserve',
      step: 'reserve',
      code: 'OUT_OF_STOCK',
      compensations: ['releaseReservation'],
      arrange: async () => ({ quantity: 3, onHand: 2 }),
    },
    {
      name: 'a declined card at authorize',
      step: 'authorize',
      code: 'CARD_DECLINED',
      compensations: ['voidPayment', 'releaseReservation'],
      arrange: async () => ({ quantity: 1, onHand: 5, paymentMethod: 'pm_card_chargeDeclined' }),
    },
    {
      name: 'a rejected create',
      step: 'create',
      code: 'ORDER_REJECTED',
      compensations: ['cancelOrderRecord', 'voidPayment', 'releaseReservation'],
      arrange: async () => {
        await api.faults.inject('order', {
          method: 'POST',
          path: '/internal/v1/orders/:id/confirm',
          status: 422,
          code: 'ORDER_REJECTED',
          times: 1,
        });
        return { quantity: 1, onHand: 5 };
      },
    },
    {
      name: 'a failed capture',
      step: 'capture',
      code: 'CAPTURE_FAILED',
      compensations: ['refundPayment', 'cancelOrderRecord', 'voidPayment', 'releaseReservation'],
      arrange: async () => {
        await api.faults.inject('payment', {
          method: 'POST',
          path: '/v1/payments/:orderId/capture',
          status: 422,
          code: 'CAPTURE_FAILED',
          times: 1,
        });
        return { quantity: 1, onHand: 5 };
      },
    },
    {
      name: 'a failed commit',
      step: 'commit',
      code: 'RESERVATION_NOT_HELD',
      compensations: [
        'returnStock',
        'refundPayment',
        'cancelOrderRecord',
        'voidPayment',
        'releaseReservation',
      ],
      arrange: async () => {
        await api.faults.inject('inventory', {
          method: 'POST',
          path: '/v1/reservations/:orderId/commit',
          status: 409,
          code: 'RESERVATION_NOT_HELD',
          times: 1,
        });
        return { quantity: 1, onHand: 5 };
      },
    },
  ];

  for (const scenario of failures) {
    test(`${scenario.name}: compensations run in reverse, nothing held or taken, FAILED with a reason, one e-mail`, async () => {
      const sku = uniqueSku();
      const setup = await scenario.arrange();
      await api.inventory.createProduct(sku, { onHand: setup.onHand, unitPrice: 1000 });
      const { orderId, email, token } = await placeOrder({
        sku,
        quantity: setup.quantity,
        paymentMethod: setup.paymentMethod,
      });

      const { result, mails, events, order } = await settle(orderId, email, 'OrderFailed', token);
      assert.equal(result.status, 'FAILED');
      assert.equal(result.failure?.step, scenario.step);
      assert.equal(result.failure?.code, scenario.code);
      assert.deepEqual(result.compensations, scenario.compensations);
      assert.equal(order.status, 'FAILED');
      assert.match(order.statusReason ?? '', new RegExp(`^${scenario.step}: `));
      assert.deepEqual(order.compensations, scenario.compensations);

      // Inventory: nothing held, nothing taken.
      const product = await api.inventory.product(sku);
      assert.equal(product.onHand, setup.onHand);
      assert.equal(product.reserved, 0);

      // Payment: no money held or taken.
      const intents = await api.stripe.intents(orderId);
      for (const intent of intents) {
        assert.equal(intent.amount_capturable, 0, 'no authorization left standing');
        assert.equal(intent.amount_received - intent.amount_refunded, 0, 'no money kept');
      }
      if (scenario.step === 'reserve') assert.equal(intents.length, 0, 'no payment was attempted');

      assert.equal(events.at(-1)?.type, 'OrderFailed');
      assert.equal(events[0]?.type, 'OrderPlaced');
      assert.equal(mails.length, 1);
      assert.match(mails[0]?.Subject ?? '', /could not|failed|not be completed/i);
      await recordHistory(orderId, `failed-at-${scenario.step}`);
    });
  }

  test('a commit failure after capture refunds the captured amount in full', async () => {
    const sku = uniqueSku();
    await api.inventory.createProduct(sku, { onHand: 4, unitPrice: 3000 });
    await api.faults.inject('inventory', {
      method: 'POST',
      path: '/v1/reservations/:orderId/commit',
      status: 409,
      code: 'RESERVATION_NOT_HELD',
      times: 1,
    });
    const { orderId, email, token } = await placeOrder({ sku, quantity: 2 });
    await settle(orderId, email, 'OrderFailed', token);
    const payment = (await api.payments.get(orderId)).body;
    assert.equal(payment.captured, 6000);
    assert.equal(payment.refunded, 6000);
    assert.equal(payment.status, 'REFUNDED');
    const [intent] = await api.stripe.intents(orderId);
    assert.equal(
      intent?.operations.filter((o) => o.operation === 'capture' && o.outcome === 'succeeded').length,
      1,
    );
    assert.equal(
      intent?.operations.filter((o) => o.operation === 'refund' && o.outcome === 'succeeded').length,
      1,
    );
  });

  test('stock is never oversold: N concurrent orders for K < N units complete exactly K times', async () => {
    const sku = uniqueSku();
    const stock = 3;
    const orders = 8;
    await api.inventory.createProduct(sku, { onHand: stock, unitPrice: 500 });
    const placed = await Promise.all(Array.from({ length: orders }, () => placeOrder({ sku, quantity: 1 })));
    const results = await Promise.all(placed.map((p) => sagaResult(t, p.orderId)));
    assert.equal(results.filter((r) => r.status === 'COMPLETED').length, stock);
    const failed = results.filter((r) => r.status === 'FAILED');
    assert.equal(failed.length, orders - stock);
    assert.ok(failed.every((r) => r.failure?.code === 'OUT_OF_STOCK'));
    const product = await api.inventory.product(sku);
    assert.deepEqual([product.onHand, product.reserved, product.available], [0, 0, 0]);
  });

  test('the same Idempotency-Key returns the same order and never starts a second saga', async () => {
    const sku = uniqueSku();
    await api.inventory.createProduct(sku, { onHand: 10, unitPrice: 700 });
    const key = randomUUID();
    const { token } = await newCustomer();
    const body = { items: [{ sku, quantity: 1 }], paymentMethod: 'pm_card_visa' };
    const [first, second] = await Promise.all([
      api.orders.place(token, body, key),
      api.orders.place(token, body, key),
    ]);
    assert.equal(first.status, 202);
    assert.equal(second.status, 202);
    assert.equal(first.body.orderId, second.body.orderId);
    await sagaResult(t, first.body.orderId);
    const third = await api.orders.place(token, body, key);
    assert.equal(third.body.orderId, first.body.orderId);
    assert.equal(third.headers.get('idempotent-replayed'), 'true');
    assert.equal((await api.inventory.product(sku)).onHand, 9, 'one saga, one decrement');

    const reused = await api.orders.place(token, { ...body, items: [{ sku, quantity: 2 }] }, key);
    assert.equal(reused.status, 422);
    assert.equal((reused.body as unknown as { code: string }).code, 'IDEMPOTENCY_KEY_REUSED');
  });

  test('once the refund window has closed, refunds and cancellation are refused and change nothing', async () => {
    const sku = uniqueSku();
    await api.inventory.createProduct(sku, { onHand: 5, unitPrice: 1500 });
    const { orderId, token } = await placeOrder({ sku, quantity: 1 });
    const result = await sagaResult(t, orderId); // returns when the 2 s window closes
    assert.equal(result.status, 'COMPLETED');
    const support = await supportToken();
    const refund = await api.orders.refund(support, orderId, { amount: 100, reason: 'too late' });
    assert.equal(refund.status, 409, JSON.stringify(refund.body));
    assert.equal(refund.body.code, 'ORDER_CLOSED');
    const cancel = await api.orders.cancel(token, orderId);
    assert.equal(cancel.status, 409);
    const order = (await api.orders.get(token, orderId)).body;
    assert.deepEqual([order.status, order.refunded], ['COMPLETED', 0]);
    assert.equal((await api.payments.get(orderId)).body.refunded, 0);
  });

  test('invalid placements get 4xx problem+json naming the field and start nothing', async () => {
    const sku = uniqueSku();
    await api.inventory.createProduct(sku, { onHand: 10, unitPrice: 700 });
    const { token } = await newCustomer();
    const valid = { items: [{ sku, quantity: 1 }], paymentMethod: 'pm_card_visa' };
    const cases: { body: unknown; key?: string | null; status: number; field?: string; code?: string }[] = [
      { body: valid, key: null, status: 400, field: 'Idempotency-Key' },
      { body: { ...valid, items: [] }, status: 400, field: 'items' },
      { body: { ...valid, items: [{ sku, quantity: 0 }] }, status: 400, field: 'items.0.quantity' },
      { body: { ...valid, items: [{ sku, quantity: 1.5 }] }, status: 400, field: 'items.0.quantity' },
      { body: { ...valid, customer: { id: 'x' } }, status: 400, field: '' },
      { body: { ...valid, paymentMethod: 'x'.repeat(101) }, status: 400, field: 'paymentMethod' },
      { body: { ...valid, items: [{ sku: ' ', quantity: 1 }] }, status: 400, field: 'items.0.sku' },
      { body: { ...valid, paymentMethod: undefined }, status: 400, field: 'paymentMethod' },
      {
        body: { ...valid, items: [{ sku: 'NO-SUCH-SKU-X', quantity: 1 }] },
        status: 422,
        code: 'UNKNOWN_SKU',
      },
      { body: { ...valid, items: [{ sku, quantity: 101 }] }, status: 422, code: 'QUANTITY_LIMIT' },
    ];
    for (const c of cases) {
      const res = await api.orders.place(token, c.body, c.key === null ? undefined : (c.key ?? randomUUID()));
      assert.equal(res.status, c.status, JSON.stringify(res.body));
      assert.equal(res.headers.get('content-type')?.split(';')[0], 'application/problem+json');
      const problem = res.body as unknown as { errors?: { field: string }[]; code?: string };
      if (c.field !== undefined)
        assert.ok(
          problem.errors?.some((e) => e.field === c.field),
          `${c.field} named in ${JSON.stringify(problem)}`,
        );
      if (c.code) assert.equal(problem.code, c.code);
    }
    assert.equal((await api.inventory.product(sku)).reserved, 0);
  });
});

test('the worker and the notification service start without kafkajs notices about their own settings', () => {
  for (const app of ['worker', 'notification']) {
    const warnings = readFileSync(path.join(t.logDir, `${app}.log`), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"logger":"kafkajs"') && line.includes('"level":"warn"'));
    // The partitioner is named and the bounded retries are deliberate (libs/platform/src/kafka.ts).
    const about = warnings.filter((line) => /partitioner|EoS guarantees/.test(line));
    assert.deepEqual(about, [], `${app} logged: ${about.join('\n')}`);
  }
});
