// The order service's doors, on the whole app (buildApp) with the real orders database and
// Temporal: every route outside /v1, the API document and the console page (read from the
// router: /internal, /_faults, anything added later) needs the internal token; /v1 needs a JWT
// instead, and the internal token is not one; probes, docs and the console page are public.
// /metrics is on the metrics port only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Connection } from '@temporalio/client';
import {
  createMetrics,
  createPool,
  listRoutes,
  migrate,
  publicPathMatcher,
  startMetricsServer,
  startServer,
  type Pool,
  type RunningServer,
} from '@orders/platform';
import { PROBE_PATHS, askRoute, assertInternalRoute, routeNames } from '@orders/platform/testing';
import { ORDER_PUBLIC_PATHS, buildApp } from '../src/app';
import { httpNotificationsClient } from '../src/adapters/notifications-client';
import { orderCounts } from '../src/data-access/order-counts';
import { createOrdersRepository } from '../src/data-access/orders-repository';
import { httpCatalogue } from '../src/adapters/inventory-catalogue';
import { temporalSagaHistory } from '../src/adapters/temporal-saga-history';
import { defaultConsoleDir } from '../src/routes/console-app';
import { temporalOrderSagaGateway } from '../src/adapters/temporal-order-saga-gateway';
import { createSagaStarter } from '../src/saga-starter';
import { requireEnv, silentLogger, supportToken, tokens } from './support';

const INTERNAL_TOKEN = `order-test-internal-${randomUUID()}`;

let pool: Pool;
let connection: Connection;
let app: ReturnType<typeof buildApp>;
let server: RunningServer;
let metricsServer: RunningServer;

before(async () => {
  const url = requireEnv('ORDERS_DATABASE_URL');
  await migrate(url, fileURLToPath(new URL('../migrations', import.meta.url)), silentLogger);
  pool = createPool(url, { max: 4 });
  connection = await Connection.connect({ address: requireEnv('TEMPORAL_ADDRESS') });
  const orders = createOrdersRepository(pool);
  const metrics = createMetrics('order');
  // A task queue no worker serves: nothing here starts a saga, and none would run if it did.
  const taskQueue = `order-internal-auth-${randomUUID()}`;
  const sagas = temporalOrderSagaGateway(connection, { namespace: 'default', taskQueue });
  app = buildApp({
    orders,
    // Nothing listens there: a request that got as far as pricing would fail loudly (503).
    catalogue: httpCatalogue('http://127.0.0.1:1', INTERNAL_TOKEN),
    sagas,
    sagaStarter: createSagaStarter(
      { orders, sagas, logger: silentLogger, registry: metrics.registry },
      { taskQueue, batchSize: 1, leaseMs: 15_000, sweepIntervalMs: 60_000, refundWindowSeconds: 3600 },
    ),
    metrics,
    tokens,
    logger: silentLogger,
    readiness: { database: () => pool.query('SELECT 1') },
    internalApiToken: INTERNAL_TOKEN,
    pool,
    placementRateLimitPerMinute: 1_000,
    sagaQueryBudget: { perSecond: 50, concurrent: 8 },
    faultInjection: true,
    console: {
      history: temporalSagaHistory(connection, { namespace: 'default' }),
      // Nothing listens there either: the timeline says e-mails are unavailable.
      notifications: httpNotificationsClient('http://127.0.0.1:1', INTERNAL_TOKEN),
      counts: orderCounts(pool),
      distDir: defaultConsoleDir(),
      // Mounted, so its routes are among those checked (public: it is the console's sign-in).
      devSignIn: true,
    },
  });
  server = await startServer(app, 0);
  metricsServer = await startMetricsServer(metrics, 0);
});

after(async () => {
  await server?.close();
  await metricsServer?.close();
  await connection?.close();
  await pool?.end();
});

const isPublic = publicPathMatcher(ORDER_PUBLIC_PATHS);

test('every route outside /v1, the API document and the probes requires the internal token', async (t) => {
  const routes = listRoutes(app);
  const names = routeNames(routes);
  for (const expected of [
    'POST /internal/v1/orders/:id/confirm',
    'POST /internal/v1/orders/:id/cancel-record',
    'POST /internal/v1/orders/:id/outcome',
    'POST /_faults',
    'DELETE /_faults',
  ])
    assert.ok(names.includes(expected), `${expected} among ${names.join(', ')}`);

  const internal = routes.filter((r) => !PROBE_PATHS.includes(r.path) && !isPublic(r.path));
  assert.ok(internal.every((r) => !r.path.toLowerCase().startsWith('/v1')));
  for (const route of internal) {
    await t.test(`${route.method} ${route.path}`, () =>
      assertInternalRoute(server.url, route, INTERNAL_TOKEN),
    );
  }
});

test('every /v1 route needs a JWT: none or the internal token is 401 in the JWT realm; a JWT passes', async (t) => {
  const api = listRoutes(app).filter((r) => r.path.startsWith('/v1'));
  assert.ok(routeNames(api).includes('POST /v1/orders') && routeNames(api).includes('GET /v1/orders/:id'));
  const jwt = await supportToken();
  for (const route of api) {
    await t.test(`${route.method} ${route.path}`, async () => {
      for (const headers of [{}, { authorization: `Bearer ${INTERNAL_TOKEN}` }] as Record<string, string>[]) {
        const refused = await askRoute(server.url, route, headers);
        assert.equal(refused.status, 401);
        assert.match(refused.challenge ?? '', /^Bearer realm="orders"/);
      }
      // Authenticated: what the role may do is the route's own answer (support places no orders: 403).
      const allowed = await askRoute(server.url, route, { authorization: `Bearer ${jwt}` });
      assert.ok(
        allowed.status !== 401 && allowed.status < 500,
        `answered ${allowed.status} ${allowed.code ?? ''}`,
      );
    });
  }
});

test('the probes, the API document and the console page are public', async (t) => {
  for (const path of [...PROBE_PATHS, '/openapi.json', '/docs'])
    assert.equal((await askRoute(server.url, { method: 'GET', path })).status, 200, path);
  const open = listRoutes(app).filter((r) => isPublic(r.path) && !r.path.toLowerCase().startsWith('/v1'));
  assert.ok(routeNames(open).includes('GET /console/dev-sign-in'), routeNames(open).join(', '));
  for (const route of open) {
    await t.test(`${route.method} ${route.path}`, async () => {
      // 503 is the console page not built yet (CONSOLE_NOT_BUILT): public either way.
      const { status, code } = await askRoute(server.url, route);
      assert.ok(status !== 401 && (status < 500 || code === 'CONSOLE_NOT_BUILT'), `answered ${status}`);
    });
  }
});

test('/metrics is served on the metrics port, not on the HTTP port', async () => {
  const onHttp = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${INTERNAL_TOKEN}` },
  });
  assert.equal(onHttp.status, 404);
  const scraped = await fetch(`${metricsServer.url}/metrics`);
  assert.equal(scraped.status, 200);
  assert.match(await scraped.text(), /orders_saga_start_queue_length\{[^}]*service="order"/);
  assert.equal(
    (await fetch(`${metricsServer.url}/openapi.json`)).status,
    404,
    'nothing else on the metrics port',
  );
});
