// No door left open: every route of the running notification service (read from its router,
// /_faults included) refuses a request without the internal token or with a wrong one, and
// serves one with the right token; only the probes are public. /metrics is on the metrics port.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { listRoutes } from '@orders/platform';
import { PROBE_PATHS, askRoute, assertInternalRoute, routeNames } from '@orders/platform/testing';
import { startTestService, type TestService } from './stack-clients';
import { TEST_INTERNAL_TOKEN } from './support';

let t: TestService;
before(async () => {
  t = await startTestService({ FAULT_INJECTION: 'true' });
});
after(() => t.stop());

test('every route but the probes requires the internal token', async (ctx) => {
  const routes = listRoutes(t.service.app);
  const names = routeNames(routes);
  for (const expected of ['GET /v1/notifications', 'POST /_faults', 'GET /_faults', 'DELETE /_faults'])
    assert.ok(names.includes(expected), `${expected} among ${names.join(', ')}`);

  for (const route of routes) {
    if (PROBE_PATHS.includes(route.path)) continue;
    await ctx.test(`${route.method} ${route.path}`, () =>
      assertInternalRoute(t.service.url, route, TEST_INTERNAL_TOKEN),
    );
  }
});

test('liveness answers without a credential', async () => {
  assert.equal((await askRoute(t.service.url, { method: 'GET', path: '/healthz' })).status, 200);
  // Readiness waits for the consumer to join; it is public either way (200 or 503, never 401).
  assert.notEqual((await askRoute(t.service.url, { method: 'GET', path: '/readyz' })).status, 401);
});

test('/metrics is served on the metrics port, not on the HTTP port', async () => {
  const onHttp = await fetch(`${t.service.url}/metrics`, {
    headers: { authorization: `Bearer ${TEST_INTERNAL_TOKEN}` },
  });
  assert.equal(onHttp.status, 404);
  const scraped = await fetch(`${t.service.metricsUrl}/metrics`);
  assert.equal(scraped.status, 200);
  assert.match(await scraped.text(), /service="notification"/);
  assert.equal(
    (await fetch(`${t.service.metricsUrl}/v1/notifications?orderId=x`)).status,
    404,
    'no API on the metrics port',
  );
});
