// The HTTP edges: required idempotency keys, validation naming fields, health and metrics,
// and the platform's fault injection for saga tests.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { internalAuthorization } from '@orders/platform';
import { startPaymentService, uniqueOrderId, type PaymentService } from './harness';

let svc: PaymentService;
before(async () => {
  svc = await startPaymentService({ faultInjection: true });
});
after(() => svc.close());

const fields = (body: Record<string, unknown>) =>
  (body.errors as { field: string }[]).map((e) => e.field).sort();

test('every mutating endpoint requires an Idempotency-Key header (400 naming it)', async () => {
  const orderId = uniqueOrderId();
  const body = { orderId, customerId: 'c', amount: 100, currency: 'eur', paymentMethod: 'pm_card_visa' };
  for (const [path, payload] of [
    ['/v1/payments/authorize', body],
    [`/v1/payments/${orderId}/capture`, undefined],
    [`/v1/payments/${orderId}/void`, undefined],
    [`/v1/payments/${orderId}/refunds`, {}],
  ] as const) {
    const reply = await svc.post(path, payload, null);
    assert.equal(reply.status, 400, path);
    assert.match(reply.contentType, /^application\/problem\+json/);
    assert.deepEqual(fields(reply.body), ['Idempotency-Key'], path);
  }
  assert.equal((await svc.get(`/v1/payments/${orderId}`)).status, 404, 'nothing was created');
});

test('invalid authorize bodies are 400 problem+json naming each field', async () => {
  const reply = await svc.post('/v1/payments/authorize', {
    orderId: '',
    amount: 0,
    currency: 'EUR',
    paymentMethod: 'pm_card_visa',
  });
  assert.equal(reply.status, 400);
  assert.match(reply.contentType, /^application\/problem\+json/);
  assert.deepEqual(fields(reply.body), ['amount', 'currency', 'customerId', 'orderId']);
  const fractional = await svc.post('/v1/payments/authorize', {
    orderId: uniqueOrderId(),
    customerId: 'c',
    amount: 10.5,
    currency: 'eur',
    paymentMethod: 'pm_card_visa',
  });
  assert.deepEqual(fields(fractional.body), ['amount']);
});

test('invalid refund bodies are 400 naming the fields; non-JSON bodies are 415', async () => {
  const orderId = uniqueOrderId();
  const reply = await svc.post(`/v1/payments/${orderId}/refunds`, { amount: -5, reason: 'x'.repeat(501) });
  assert.equal(reply.status, 400);
  assert.deepEqual(fields(reply.body), ['amount', 'reason']);
  const res = await fetch(`${svc.url}/v1/payments/${orderId}/refunds`, {
    method: 'POST',
    headers: {
      ...internalAuthorization(svc.internalApiToken),
      'content-type': 'text/plain',
      'idempotency-key': `${orderId}:refund`,
    },
    body: 'amount=5',
  });
  assert.equal(res.status, 415);
});

test('health, readiness and metrics (on the metrics port)', async () => {
  assert.equal((await fetch(`${svc.url}/healthz`)).status, 200, 'probes need no token');
  const ready = await svc.get('/readyz');
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body.checks, { database: { status: 'up' } });
  const metrics = await fetch(`${svc.metricsUrl}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /http_server_requests_total/);
});

test('with FAULT_INJECTION the platform fault rules answer before the use case runs', async () => {
  const orderId = uniqueOrderId();
  const rule = await svc.post(
    '/_faults',
    {
      method: 'POST',
      path: '/v1/payments/:orderId/capture',
      match: { orderId },
      status: 503,
      code: 'PAYMENT_PROVIDER_UNAVAILABLE',
    },
    null,
  );
  assert.equal(rule.status, 201);
  await svc.authorize(orderId);
  const injected = await svc.post(`/v1/payments/${orderId}/capture`, undefined, `${orderId}:capture`);
  assert.deepEqual([injected.status, injected.body.code], [503, 'PAYMENT_PROVIDER_UNAVAILABLE']);
  assert.equal(await svc.effects(orderId, 'capture'), 0);
  const real = await svc.post(`/v1/payments/${orderId}/capture`, undefined, `${orderId}:capture`);
  assert.equal(real.body.status, 'CAPTURED');
});
