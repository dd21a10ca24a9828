// Support operations through the public API on the real stack: who may do what (an
// authorization matrix), cancel at each saga stage, refunds (partial, repeated, limited to what
// was captured, concurrent), and invalid requests that change nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { call, clients, expiredToken, newCustomer, supportToken } from './clients';
import { orderWorkflowId, refundSignal } from '../../src/shared';
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
let support: string;

before(async () => {
  // A long refund window: completed orders stay open for refunds during the whole file.
  t = await startTestSystem('support', { refundWindowSeconds: 600 });
  api = clients(t);
  support = await supportToken();
});
after(() => t?.stop());

async function placeOrder(
  opts: { onHand?: number; unitPrice?: number; quantity?: number; paymentMethod?: string } = {},
) {
  const sku = uniqueSku('SUP');
  await api.inventory.createProduct(sku, { onHand: opts.onHand ?? 10, unitPrice: opts.unitPrice ?? 2500 });
  const customer = await newCustomer();
  const res = await api.orders.place(
    customer.token,
    { items: [{ sku, quantity: opts.quantity ?? 2 }], paymentMethod: opts.paymentMethod ?? 'pm_card_visa' },
    randomUUID(),
  );
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return { sku, orderId: res.body.orderId, customer };
}

const statusOf = async (token: string, orderId: string) => (await api.orders.get(token, orderId)).body;

async function untilStatus(token: string, orderId: string, status: string) {
  return eventually(`order ${orderId} ${status}`, async () => {
    const order = await statusOf(token, orderId);
    return order.status === status ? order : undefined;
  });
}

/** Until `step` has started and not yet finished (the tests slow that step down with a fault). */
async function untilInFlight(token: string, orderId: string, step: string) {
  await eventually(`order ${orderId} in ${step}`, async () =>
    (await statusOf(token, orderId)).saga?.currentStep === step ? true : undefined,
  );
}

async function mailsOf(orderId: string, email: string, type: string, count = 1) {
  await eventually(`${count} ${type} e-mail(s) for ${orderId}`, async () => {
    const sent = (await api.notifications.list(orderId)).filter(
      (n) => n.type === type && n.status === 'SENT',
    );
    return sent.length >= count ? true : undefined;
  });
  return api.mail.to(email);
}

describe('support operations', { timeout: 300_000 }, () => {
  test('authorization matrix: anonymous, customer, another customer and support on every endpoint', async () => {
    const { orderId, customer } = await placeOrder();
    await untilStatus(customer.token, orderId, 'COMPLETED');
    const other = await newCustomer();
    const order = t.system.urls.order;
    const anonymous = '';
    const expect = async (label: string, res: Promise<{ status: number; body: unknown }>, status: number) => {
      const { status: got, body } = await res;
      assert.equal(got, status, `${label}: ${JSON.stringify(body)}`);
    };
    const placeBody = { items: [{ sku: 'MUG-LOGO', quantity: 1 }], paymentMethod: 'pm_card_visa' };

    await expect('anonymous place', api.orders.place(anonymous, placeBody, randomUUID()), 401);
    await expect('support place', api.orders.place(support, placeBody, randomUUID()), 403);
    await expect('expired token', api.orders.get(await expiredToken(), orderId), 401);
    await expect(
      'forged token',
      api.orders.get('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', orderId),
      401,
    );

    await expect('anonymous list', api.orders.list(anonymous), 401);
    await expect('customer list', api.orders.list(customer.token), 200);
    await expect(
      'customer lists another customer',
      api.orders.list(customer.token, `?customerId=${other.id}`),
      403,
    );
    await expect('support list', api.orders.list(support, `?customerId=${customer.id}`), 200);
    assert.deepEqual(
      (await api.orders.list(customer.token)).body.items.map((o) => o.orderId),
      [orderId],
    );
    assert.deepEqual((await api.orders.list(other.token)).body.items, []);
    assert.deepEqual(
      (await api.orders.list(support, `?customerId=${customer.id}`)).body.items.map((o) => o.orderId),
      [orderId],
    );

    await expect('anonymous get', api.orders.get(anonymous, orderId), 401);
    await expect('owner get', api.orders.get(customer.token, orderId), 200);
    await expect('other get', api.orders.get(other.token, orderId), 403);
    await expect('support get', api.orders.get(support, orderId), 200);

    await expect('anonymous cancel', api.orders.cancel(anonymous, orderId), 401);
    await expect('other cancel', api.orders.cancel(other.token, orderId), 403);
    await expect(
      'anonymous refund',
      api.orders.refund(anonymous, orderId, { amount: 100, reason: 'x' }),
      401,
    );
    await expect(
      'owner refund',
      api.orders.refund(customer.token, orderId, { amount: 100, reason: 'x' }),
      403,
    );
    await expect('other refund', api.orders.refund(other.token, orderId, { amount: 100, reason: 'x' }), 403);
    await expect(
      'support refund',
      api.orders.refund(support, orderId, { amount: 100, reason: 'goodwill' }),
      201,
    );
    // Fulfilled: the owner may no longer cancel it (409 ORDER_FULFILLED); support may.
    await expect('owner cancel after fulfilment', api.orders.cancel(customer.token, orderId), 409);
    await expect('support cancel', api.orders.cancel(support, orderId), 200);
    const second = await placeOrder();
    await untilStatus(second.customer.token, second.orderId, 'COMPLETED');
    await expect(
      'support cancel of another order',
      api.orders.cancel(support, second.orderId, { reason: 'fraud suspected' }),
      200,
    );

    await expect(
      'internal routes need the internal token',
      call(
        'POST',
        `${order}/internal/v1/orders/${orderId}/confirm`,
        {},
        { authorization: `Bearer ${support}` },
      ),
      401,
    );
    assert.equal(
      (await statusOf(support, orderId)).status,
      'CANCELLED',
      'the forged internal call changed nothing',
    );
  });

  const stages = [
    {
      stage: 'reserve',
      path: '/v1/reservations',
      service: 'inventory' as const,
      compensations: ['releaseReservation'],
    },
    {
      stage: 'create',
      path: '/internal/v1/orders/:id/confirm',
      service: 'order' as const,
      compensations: ['cancelOrderRecord', 'voidPayment', 'releaseReservation'],
    },
    {
      stage: 'capture',
      path: '/v1/payments/:orderId/capture',
      service: 'payment' as const,
      compensations: ['refundPayment', 'cancelOrderRecord', 'voidPayment', 'releaseReservation'],
    },
  ];
  for (const { stage, path, service, compensations } of stages) {
    test(`cancel while ${stage} is in flight: the step finishes, then everything is undone`, async () => {
      await api.faults.inject(service, { method: 'POST', path, delayMs: 2_500, times: 1 });
      const { orderId, customer, sku } = await placeOrder({ onHand: 5 });
      await untilInFlight(customer.token, orderId, stage);
      const res = await api.orders.cancel(customer.token, orderId, { reason: 'ordered by mistake' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'CANCELLED');
      const order = await statusOf(customer.token, orderId);
      assert.equal(order.status, 'CANCELLED');
      assert.deepEqual(order.compensations, compensations);
      assert.match(order.statusReason ?? '', /ordered by mistake/);
      const product = await api.inventory.product(sku);
      assert.deepEqual([product.onHand, product.reserved], [5, 0]);
      for (const intent of await api.stripe.intents(orderId)) {
        assert.equal(intent.amount_capturable, 0, 'no authorization left standing');
        assert.equal(intent.amount_received, intent.amount_refunded, 'never a capture without its refund');
      }
      const mails = await mailsOf(orderId, customer.email, 'OrderCancelled');
      assert.equal(mails.length, 1);
      await recordHistory(orderId, `cancelled-during-${stage}`);
    });
  }

  test('after completion only support cancels: a full refund, stock back only for the items declared returned', async () => {
    const { orderId, customer, sku } = await placeOrder({ onHand: 6, quantity: 2 });
    await untilStatus(customer.token, orderId, 'COMPLETED');
    assert.equal((await api.inventory.product(sku)).onHand, 4);
    // The goods are with the customer: cancelling is no longer theirs to do.
    const mine = await api.orders.cancel(customer.token, orderId, { reason: 'no longer needed' });
    assert.deepEqual([mine.status, mine.body.code], [409, 'ORDER_FULFILLED']);
    const declared = await api.orders.cancel(customer.token, orderId, {
      reason: 'no longer needed',
      items: [{ sku, quantity: 1 }],
    });
    assert.deepEqual([declared.status, declared.body.code], [403, 'FORBIDDEN']);
    assert.equal((await api.inventory.product(sku)).onHand, 4, 'a refused cancel changes nothing');
    const res = await api.orders.cancel(support, orderId, {
      reason: 'one came back, one was lost',
      items: [{ sku, quantity: 1 }],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { orderId, status: 'CANCELLED', refunded: 5000 });
    assert.equal((await api.inventory.product(sku)).onHand, 5, 'only the returned unit is back');
    const payment = (await api.payments.get(orderId)).body;
    assert.deepEqual([payment.captured, payment.refunded, payment.status], [5000, 5000, 'REFUNDED']);
    const order = await statusOf(customer.token, orderId);
    assert.deepEqual([order.status, order.refunded], ['CANCELLED', 5000]);
    const again = await api.orders.cancel(customer.token, orderId);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'ORDER_CLOSED');
    assert.match(String(again.body.detail), /already cancelled/);
    // Once the saga has ended too, the refusal still says what the order is.
    await sagaResult(t, orderId);
    const later = await api.orders.refund(support, orderId, { amount: 100, reason: 'late' }, randomUUID());
    assert.deepEqual([later.status, later.body.code], [409, 'ORDER_CLOSED']);
    assert.match(String(later.body.detail), /already cancelled/);
    const mails = await mailsOf(orderId, customer.email, 'OrderCancelled');
    assert.deepEqual(mails.length, 2, 'the confirmation and the cancellation');
    await recordHistory(orderId, 'cancelled-after-completion');
  });

  test('refunds: partial and repeated, with items back to stock, never beyond what was captured, idempotent by key', async () => {
    const { orderId, customer, sku } = await placeOrder({ onHand: 10, quantity: 2 });
    await untilStatus(customer.token, orderId, 'COMPLETED');
    const key = randomUUID();
    const first = await api.orders.refund(support, orderId, { amount: 1000, reason: 'late delivery' }, key);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual([first.body.amount, first.body.totalRefunded, first.body.captured], [1000, 1000, 5000]);
    const replay = await api.orders.refund(support, orderId, { amount: 1000, reason: 'late delivery' }, key);
    assert.equal(replay.body.refundId, first.body.refundId);
    assert.equal(replay.body.totalRefunded, 1000, 'the same key is the same refund');

    const withItems = await api.orders.refund(support, orderId, {
      amount: 2500,
      reason: 'one returned',
      items: [{ sku, quantity: 1 }],
    });
    assert.equal(withItems.status, 201);
    assert.equal(withItems.body.totalRefunded, 3500);
    assert.equal((await api.inventory.product(sku)).onHand, 9, 'the returned item is back in stock');

    const tooMuch = await api.orders.refund(support, orderId, { amount: 1501, reason: 'too much' });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.body.code, 'REFUND_EXCEEDS_CAPTURED');
    const payment = (await api.payments.get(orderId)).body;
    assert.equal(payment.refunded, 3500);
    const [intent] = await api.stripe.intents(orderId);
    assert.equal(intent?.amount_refunded, 3500);
    assert.equal((await statusOf(support, orderId)).refunded, 3500);
    const mails = await mailsOf(orderId, customer.email, 'OrderRefunded', 2);
    assert.equal(mails.filter((m) => /refund/i.test(m.Subject)).length, 2);
    await recordHistory(orderId, 'refunded-twice-open-window');
  });

  test('two concurrent refunds that together exceed the captured amount: exactly one succeeds', async () => {
    const { orderId, customer } = await placeOrder({ quantity: 2 });
    await untilStatus(customer.token, orderId, 'COMPLETED');
    const results = await Promise.all([
      api.orders.refund(support, orderId, { amount: 3000, reason: 'agent one' }),
      api.orders.refund(support, orderId, { amount: 3000, reason: 'agent two' }),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 422]);
    assert.equal((await api.payments.get(orderId)).body.refunded, 3000);
  });

  test('an order that never captured money cannot be refunded', async () => {
    const { orderId, customer } = await placeOrder({ paymentMethod: 'pm_card_chargeDeclined' });
    await untilStatus(customer.token, orderId, 'FAILED');
    const res = await api.orders.refund(support, orderId, { amount: 100, reason: 'x' });
    assert.equal(res.status, 409);
    // Refused by the saga while it is still closing, or because it has closed: either way, nothing to refund.
    assert.ok(['ORDER_NOT_REFUNDABLE', 'ORDER_CLOSED'].includes(res.body.code ?? ''), res.body.code);
    const cancel = await api.orders.cancel(customer.token, orderId);
    assert.equal(cancel.status, 409);
  });

  test('the signal path: a refund signal is carried out, one beyond the captured amount is ignored', async () => {
    const { orderId, customer } = await placeOrder({ quantity: 2 });
    await untilStatus(customer.token, orderId, 'COMPLETED');
    const handle = t.temporal.workflow.getHandle(orderWorkflowId(orderId));
    await handle.signal(refundSignal, {
      refundId: `sig-${randomUUID()}`,
      amount: 9_999,
      reason: 'too much',
      actor: 'support:ops',
    });
    await handle.signal(refundSignal, {
      refundId: `sig-${randomUUID()}`,
      amount: 700,
      reason: 'via signal',
      actor: 'support:ops',
    });
    const order = await eventually('the signalled refund', async () => {
      const view = await statusOf(support, orderId);
      return view.refunded === 700 ? view : undefined;
    });
    assert.equal(order.saga?.amounts.refunded, 700);
    assert.equal((await api.payments.get(orderId)).body.refunded, 700);
  });

  test('invalid cancel and refund requests get 4xx problem+json naming the field and change nothing', async () => {
    const { orderId, customer } = await placeOrder();
    await untilStatus(customer.token, orderId, 'COMPLETED');
    const refunds: { body: unknown; status: number; field: string; key?: string | null }[] = [
      { body: { reason: 'x' }, status: 400, field: 'amount' },
      { body: { amount: -5, reason: 'x' }, status: 400, field: 'amount' },
      { body: { amount: 1.5, reason: 'x' }, status: 400, field: 'amount' },
      { body: { amount: 100 }, status: 400, field: 'reason' },
      {
        body: { amount: 100, reason: 'x', items: [{ sku: 'A', quantity: 0 }] },
        status: 400,
        field: 'items.0.quantity',
      },
      { body: { amount: 100, reason: 'x', surprise: true }, status: 400, field: '' },
      { body: { amount: 100, reason: 'x' }, status: 400, field: 'Idempotency-Key', key: null },
    ];
    for (const c of refunds) {
      const res =
        c.key === null
          ? await call<{ errors?: { field: string }[] }>(
              'POST',
              `${t.system.urls.order}/v1/orders/${orderId}/refunds`,
              c.body,
              { authorization: `Bearer ${support}` },
            )
          : await api.orders.refund(support, orderId, c.body);
      assert.equal(res.status, c.status, JSON.stringify(res.body));
      assert.equal(res.headers.get('content-type')?.split(';')[0], 'application/problem+json');
      const problem = res.body as { errors?: { field: string }[] };
      assert.ok(
        problem.errors?.some((e) => e.field === c.field),
        `${c.field} named in ${JSON.stringify(problem)}`,
      );
    }
    const cancel = await api.orders.cancel(customer.token, orderId, { reason: '' });
    assert.equal(cancel.status, 400);
    const notJson = await fetch(`${t.system.urls.order}/v1/orders/${orderId}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer.token}`, 'content-type': 'text/plain' },
      body: 'cancel',
    });
    assert.equal(notJson.status, 415);
    const badId = await api.orders.cancel(customer.token, 'not-a-uuid');
    assert.equal(badId.status, 400);
    const order = await statusOf(customer.token, orderId);
    assert.deepEqual([order.status, order.refunded], ['COMPLETED', 0], 'nothing changed');
  });

  test('a customer pages through their own orders with a cursor', async () => {
    const customer = await newCustomer();
    const sku = uniqueSku('LIST');
    await api.inventory.createProduct(sku, { onHand: 10, unitPrice: 900 });
    const placed: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await api.orders.place(
        customer.token,
        { items: [{ sku, quantity: 1 }], paymentMethod: 'pm_card_visa' },
        randomUUID(),
      );
      placed.push(res.body.orderId);
    }
    const first = await api.orders.list(customer.token, '?limit=2');
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.nextCursor);
    const second = await api.orders.list(
      customer.token,
      `?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
    );
    assert.equal(second.body.nextCursor, null);
    assert.deepEqual(
      [...first.body.items, ...second.body.items].map((o) => o.orderId),
      [...placed].reverse(),
    );
  });
});
