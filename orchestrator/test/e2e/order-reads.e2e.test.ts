// Order reads answered from the order record: once a saga has settled (completed, refunded,
// failed, cancelled before or after completion), GET /v1/orders/:id answers the same with the
// worker stopped — no Temporal query is needed — and what it answers is what the saga itself
// says when queried.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { getStateQuery, orderWorkflowId, type OrderSagaState } from '../../src/shared';
import { clients, newCustomer, supportToken, type OrderView } from './clients';
import { eventually, startTestSystem, uniqueSku, type TestSystem } from './system-under-test';

let t: TestSystem;
let api: ReturnType<typeof clients>;
let support: string;

before(async () => {
  t = await startTestSystem('reads', { refundWindowSeconds: 600 });
  api = clients(t);
  support = await supportToken();
});
after(() => t?.stop());

async function place(paymentMethod = 'pm_card_visa') {
  const sku = uniqueSku('READ');
  await api.inventory.createProduct(sku, { onHand: 10, unitPrice: 1500 });
  const customer = await newCustomer();
  const res = await api.orders.place(
    customer.token,
    { items: [{ sku, quantity: 2 }], paymentMethod },
    randomUUID(),
  );
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return { orderId: res.body.orderId, token: customer.token };
}

/** Until the order has ended (or completed) with nothing under way, as the API shows it. */
const settled = (token: string, orderId: string, status: string) =>
  eventually(`order ${orderId} settled ${status}`, async () => {
    const { body } = await api.orders.get(token, orderId);
    const busy = body.saga?.refunds.some((r) => r.status === 'pending');
    return body.status === status && body.saga?.status === status && !busy ? body : undefined;
  });

/** The saga's own answer, shaped as the API presents it. */
async function queried(orderId: string) {
  const state: OrderSagaState = await t.temporal.workflow
    .getHandle(orderWorkflowId(orderId))
    .query(getStateQuery);
  return {
    status: state.status,
    currentStep: state.currentStep,
    stepsCompleted: state.stepsCompleted,
    compensations: state.compensations,
    failure: state.failure,
    amounts: state.amounts,
    refunds: state.refunds.map(({ refundId, amount, status, reason, actor }) => ({
      refundId,
      amount,
      status,
      reason,
      actor,
    })),
    refundWindowEndsAt: state.refundWindowEndsAt,
  };
}

describe('order reads from the record', { timeout: 300_000 }, () => {
  const seen: { token: string; orderId: string; body: OrderView }[] = [];

  test('settled orders read as the saga answers a query', async () => {
    const completed = await place();
    const refunded = await place();
    const declined = await place('pm_card_chargeDeclined');
    const cancelledEarly = await place();
    const cancelledLate = await place();
    const early = await api.orders.cancel(cancelledEarly.token, cancelledEarly.orderId);
    assert.ok(early.status === 200 || early.status === 202, JSON.stringify(early.body));

    for (const o of [completed, refunded, cancelledLate]) await settled(o.token, o.orderId, 'COMPLETED');
    const refund = await api.orders.refund(support, refunded.orderId, { amount: 700, reason: 'scratched' });
    assert.equal(refund.status, 201, JSON.stringify(refund.body));
    const cancel = await api.orders.cancel(support, cancelledLate.orderId, { reason: 'returned in full' });
    assert.equal(cancel.status, 200, JSON.stringify(cancel.body));

    const expected: [typeof completed, string][] = [
      [completed, 'COMPLETED'],
      [refunded, 'COMPLETED'],
      [declined, 'FAILED'],
      [cancelledEarly, 'CANCELLED'],
      [cancelledLate, 'CANCELLED'],
    ];
    for (const [o, status] of expected) {
      const body = await settled(o.token, o.orderId, status);
      assert.deepEqual(body.saga, await queried(o.orderId), `${status} order ${o.orderId}`);
      seen.push({ ...o, body });
    }
    const refundedView = seen[1]?.body;
    assert.deepEqual(
      [refundedView?.refunded, refundedView?.saga?.amounts.refunded, refundedView?.saga?.refunds.length],
      [700, 700, 1],
    );
    assert.deepEqual(
      seen[2]?.body.saga?.compensations.map((c) => c.name),
      ['voidPayment', 'releaseReservation'],
    );
  });

  test('with the worker stopped, settled orders read the same; a new order still answers', async () => {
    assert.equal(seen.length, 5, 'the previous test settled five orders');
    await t.system.kill('worker');
    try {
      for (const { token, orderId, body } of seen) {
        const read = await api.orders.get(token, orderId);
        assert.equal(read.status, 200);
        // A query needs a worker: without one the saga part would be null.
        assert.deepEqual(read.body, body, `order ${orderId} read without a worker`);
      }
      // Nothing settled to answer from yet: the order is there, its saga part unknown for now.
      const fresh = await place();
      const read = await api.orders.get(fresh.token, fresh.orderId);
      assert.equal(read.status, 200);
      assert.deepEqual([read.body.status, read.body.saga], ['PENDING', null]);
      await t.system.start('worker');
      const completed = await settled(fresh.token, fresh.orderId, 'COMPLETED');
      assert.deepEqual(completed.saga, await queried(fresh.orderId));
    } finally {
      if (t.system.pid('worker') === undefined) await t.system.start('worker');
    }
  });
});
