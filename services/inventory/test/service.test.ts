import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  startInventory,
  uniqueOrderId,
  type Inventory,
  type ProblemJson,
  type ReservationJson,
} from './harness';

let inventory: Inventory;
before(async () => {
  inventory = await startInventory({ faultInjection: true });
});
after(() => inventory.close());

test('liveness, readiness against the database, and Prometheus metrics on the metrics port', async () => {
  const live = await fetch(`${inventory.url}/healthz`);
  assert.deepEqual([live.status, ((await live.json()) as { status: string }).status], [200, 'ok']);
  const ready = await inventory.call<{ checks: Record<string, { status: string }> }>('GET', '/readyz');
  assert.equal(ready.status, 200);
  assert.equal(ready.body.checks.database?.status, 'up');

  await inventory.call('GET', '/v1/products?skus=MUG-LOGO');
  const metrics = await fetch(`${inventory.metricsUrl}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /http_server_requests_total\{[^}]*route="\/v1\/products"/);
});

test('unknown routes are 404 problem+json', async () => {
  const res = await inventory.call<ProblemJson>('GET', '/v1/nothing-here');
  assert.equal(res.status, 404);
  assert.equal(res.contentType, 'application/problem+json');
});

test('an injected fault fails a commit once; the retry commits exactly once', async () => {
  const sku = await inventory.createProduct({ onHand: 4 });
  const orderId = uniqueOrderId();
  await inventory.reserve(orderId, [{ sku, quantity: 1 }]);
  const rule = await inventory.call('POST', '/_faults', {
    method: 'POST',
    path: '/v1/reservations/:orderId/commit',
    match: { orderId },
    status: 503,
    code: 'UNAVAILABLE',
  });
  assert.equal(rule.status, 201);

  const failed = await inventory.call<ProblemJson>('POST', `/v1/reservations/${orderId}/commit`);
  assert.equal(failed.status, 503);
  assert.equal(failed.body.code, 'UNAVAILABLE');
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [4, 1]);

  const retried = await inventory.call<ReservationJson>('POST', `/v1/reservations/${orderId}/commit`);
  assert.equal(retried.status, 200);
  assert.equal(retried.body.status, 'COMMITTED');
  assert.deepEqual(await inventory.product(sku).then((p) => [p.onHand, p.reserved]), [3, 0]);
});
