// No door left open: every route of the inventory service (read from its router, /_faults
// included) refuses a request without the internal token or with a wrong one, and serves one
// with the right token; only the probes are public. /metrics is on the metrics port only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { listRoutes } from '@orders/platform';
import { PROBE_PATHS, askRoute, assertInternalRoute, routeNames } from '@orders/platform/testing';
import { startInventory, type Inventory } from './harness';

let inventory: Inventory;
before(async () => {
  inventory = await startInventory({ faultInjection: true });
});
after(() => inventory.close());

test('every route but the probes requires the internal token', async (t) => {
  const routes = listRoutes(inventory.app);
  const names = routeNames(routes);
  // The listing must see the routes it is meant to check (and the admin routes).
  for (const expected of [
    'GET /v1/products',
    'PUT /v1/products/:sku',
    'POST /v1/reservations',
    'POST /v1/reservations/:orderId/commit',
    'POST /_faults',
    'DELETE /_faults',
  ])
    assert.ok(names.includes(expected), `${expected} among ${names.join(', ')}`);

  for (const route of routes) {
    if (PROBE_PATHS.includes(route.path)) continue;
    await t.test(`${route.method} ${route.path}`, () =>
      assertInternalRoute(inventory.url, route, inventory.internalApiToken),
    );
  }
});

test('the probes answer without a credential', async () => {
  for (const path of PROBE_PATHS)
    assert.equal((await askRoute(inventory.url, { method: 'GET', path })).status, 200, path);
});

test('/metrics is served on the metrics port, not on the HTTP port', async () => {
  const onHttp = await fetch(`${inventory.url}/metrics`, {
    headers: { authorization: `Bearer ${inventory.internalApiToken}` },
  });
  assert.equal(onHttp.status, 404);
  const scraped = await fetch(`${inventory.metricsUrl}/metrics`);
  assert.equal(scraped.status, 200);
  assert.match(await scraped.text(), /http_server_requests_total\{[^}]*service="inventory"/);
  assert.equal(
    (await fetch(`${inventory.metricsUrl}/v1/products`)).status,
    404,
    'no API on the metrics port',
  );
});
