// The lazy target stream: unique keys, the mix's proportions, valid bodies, and results mapped back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionOf, actionPicker, orderItems, targetStream, type GeneratedTarget } from '../src/targets';

const catalogue = [
  { sku: 'A', maxPerOrder: 5 },
  { sku: 'B', maxPerOrder: 1 },
  { sku: 'C', maxPerOrder: 5 },
];
const prepared = (n: number, offset = 0) =>
  Array.from({ length: n }, (_, i) => ({
    orderId: `00000000-0000-4000-8000-${String(i + offset).padStart(12, '0')}`,
    customer: i % 3,
  }));

function take(stream: Iterator<GeneratedTarget>, n: number): GeneratedTarget[] {
  return Array.from({ length: n }, () => {
    const next = stream.next();
    assert.equal(next.done, false);
    return next.value;
  });
}

const context = {
  baseUrl: 'http://127.0.0.1:3001',
  runId: 'run1',
  catalogue,
  customerTokens: ['t0', 't1', 't2'],
  supportToken: 'support',
  cancelPool: prepared(50),
  refundPool: prepared(50, 100),
};

test('every placement and refund carries its own Idempotency-Key', () => {
  const targets = take(
    targetStream({ ...context, mix: { place: 0.5, follow: 0.3, cancel: 0.1, refund: 0.1 } }),
    20_000,
  );
  const keys = targets.flatMap((t) => t.target.header['Idempotency-Key'] ?? []);
  assert.equal(keys.length, targets.filter((t) => t.action === 'place' || t.action === 'refund').length);
  assert.equal(new Set(keys).size, keys.length);
});

test('the actions follow the mix exactly, without clumps', () => {
  const targets = take(
    targetStream({ ...context, mix: { place: 0.5, follow: 0.3, cancel: 0.1, refund: 0.1 } }),
    1_000,
  );
  const count = (a: string) => targets.filter((t) => t.action === a).length;
  assert.deepEqual([count('place'), count('follow'), count('cancel'), count('refund')], [500, 300, 100, 100]);
  const picker = actionPicker({ place: 1, follow: 1, cancel: 0, refund: 0 });
  assert.deepEqual([picker(), picker(), picker(), picker()].sort(), ['follow', 'follow', 'place', 'place']);
});

test('placement bodies are orders the API accepts: known SKUs, within each SKU limit, owner token', () => {
  for (const { target } of take(
    targetStream({ ...context, mix: { place: 1, follow: 0, cancel: 0, refund: 0 } }),
    30,
  )) {
    assert.equal(target.method, 'POST');
    assert.equal(target.url, 'http://127.0.0.1:3001/v1/orders');
    const body = JSON.parse(Buffer.from(target.body!, 'base64').toString()) as {
      items: { sku: string; quantity: number }[];
      paymentMethod: string;
    };
    assert.equal(body.paymentMethod, 'pm_card_visa');
    assert.equal(new Set(body.items.map((i) => i.sku)).size, body.items.length);
    for (const item of body.items) {
      const product = catalogue.find((p) => p.sku === item.sku);
      assert.ok(product && item.quantity >= 1 && item.quantity <= product.maxPerOrder);
    }
    assert.match(target.header.Authorization![0]!, /^Bearer t[012]$/);
  }
  assert.deepEqual(orderItems(catalogue, 1), [{ sku: 'B', quantity: 1 }]);
});

test('cancels use each prepared order once, refunds go to the other pool with the support token', () => {
  const targets = take(targetStream({ ...context, mix: { place: 0, follow: 0, cancel: 1, refund: 1 } }), 100);
  const cancelled = targets.filter((t) => t.action === 'cancel').map((t) => t.target.url);
  assert.equal(new Set(cancelled).size, 50);
  const refunds = targets.filter((t) => t.action === 'refund');
  assert.ok(refunds.every((t) => t.target.header.Authorization![0] === 'Bearer support'));
  const refundIds = new Set(refunds.map((t) => t.target.url.split('/')[5]));
  for (const url of cancelled) assert.ok(!refundIds.has(url.split('/')[5]));
});

test('a mix that needs prepared orders refuses to start without them', () => {
  assert.throws(
    () =>
      targetStream({ ...context, cancelPool: [], mix: { place: 1, follow: 0, cancel: 1, refund: 0 } }).next(),
    /cancel needs prepared orders/,
  );
});

test('results map back to their action by method and path', () => {
  const id = '00000000-0000-4000-8000-000000000001';
  assert.equal(actionOf('POST', 'http://h/v1/orders'), 'place');
  assert.equal(actionOf('GET', `http://h/v1/orders/${id}`), 'follow');
  assert.equal(actionOf('POST', `http://h/v1/orders/${id}/cancel`), 'cancel');
  assert.equal(actionOf('POST', `http://h/v1/orders/${id}/refunds`), 'refund');
  assert.equal(actionOf('GET', 'http://h/healthz'), undefined);
});
