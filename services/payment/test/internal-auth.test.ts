// No door left open: every route of the payment service (read from its router, /_faults
// included) refuses a request without the internal token or with a wrong one, and serves one
// with the right token; only the probes are public. /metrics is on the metrics port only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { listRoutes } from '@orders/platform';
import { PROBE_PATHS, askRoute, assertInternalRoute, routeNames } from '@orders/platform/testing';
import { startPaymentService, type PaymentService } from './harness';

let svc: PaymentService;
before(async () => {
  svc = await startPaymentService({ faultInjection: true });
});
after(() => svc.close());

test('every route but the probes requires the internal token', async (t) => {
  const routes = listRoutes(svc.app);
  const names = routeNames(routes);
  // The listing must see the routes it is meant to check (and the admin routes).
  for (const expected of [
    'POST /v1/payments/authorize',
    'POST /v1/payments/:orderId/capture',
    'POST /v1/payments/:orderId/void',
    'POST /v1/payments/:orderId/refunds',
    'GET /v1/refunds',
    'POST /_faults',
    'DELETE /_faults',
  ])
    assert.ok(names.includes(expected), `${expected} among ${names.join(', ')}`);

  for (const route of routes) {
    if (PROBE_PATHS.includes(route.path)) continue;
    await t.test(`${route.method} ${route.path}`, () =>
      assertInternalRoute(svc.url, route, svc.internalApiToken),
    );
  }
});

test('the probes answer without a credential', async () => {
  for (const path of PROBE_PATHS)
    assert.equal((await askRoute(svc.url, { method: 'GET', path })).status, 200, path);
});

test('/metrics is served on the metrics port, not on the HTTP port', async () => {
  const onHttp = await fetch(`${svc.url}/metrics`, {
    headers: { authorization: `Bearer ${svc.internalApiToken}` },
  });
  assert.equal(onHttp.status, 404);
  const scraped = await fetch(`${svc.metricsUrl}/metrics`);
  assert.equal(scraped.status, 200);
  assert.match(await scraped.text(), /http_server_requests_total\{[^}]*service="payment"/);
  assert.equal((await fetch(`${svc.metricsUrl}/v1/refunds`)).status, 404, 'no API on the metrics port');
});
