// The internal token guard, the route listing the services' guard tests rely on, and the
// metrics server, through the real service skeleton (serviceApp) on a free port.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Router } from 'express';
import {
  createLogger,
  createMetrics,
  listRoutes,
  publicPathMatcher,
  requireInternalToken,
  serviceApp,
  startMetricsServer,
  startServer,
  type RunningServer,
} from '../src/index';

const TOKEN = 'internal-token-for-the-platform-test';
const logger = createLogger('platform-test', 'silent');
const metrics = createMetrics('platform-test');
const app = serviceApp(
  {
    logger,
    metrics,
    readiness: {},
    internalApiToken: TOKEN,
    publicPaths: ['/v1', '/openapi.json'],
    faultInjection: true,
  },
  (app) => {
    const router = Router();
    router.get('/v1/things/:id', (_req, res) => {
      res.json({ public: true });
    });
    router.get('/openapi.json', (_req, res) => {
      res.json({ openapi: '3.1.0' });
    });
    router.post('/internal/things/:id', (_req, res) => {
      res.json({ internal: true });
    });
    router.put('/admin/prices', (_req, res) => {
      res.json({ internal: true });
    });
    app.use(router);
    const nested = Router();
    nested.delete('/:id', (_req, res) => {
      res.status(204).end();
    });
    app.use('/nested', nested);
  },
);

let server: RunningServer;
let metricsServer: RunningServer;
before(async () => {
  server = await startServer(app, 0);
  metricsServer = await startMetricsServer(metrics, 0);
});
after(async () => {
  await server.close();
  await metricsServer.close();
});

const request = (method: string, path: string, authorization?: string) =>
  fetch(`${server.url}${path}`, { method, headers: authorization ? { authorization } : {} });

test('listRoutes reads every route with its mount prefix, including /_faults', () => {
  const routes = listRoutes(app).map((r) => `${r.method} ${r.path}`);
  for (const expected of [
    'GET /healthz',
    'GET /readyz',
    'POST /_faults',
    'GET /_faults',
    'DELETE /_faults',
    'GET /v1/things/:id',
    'GET /openapi.json',
    'POST /internal/things/:id',
    'PUT /admin/prices',
    'DELETE /nested/:id',
  ])
    assert.ok(routes.includes(expected), `${expected} in ${routes.join(', ')}`);
  assert.ok(!routes.some((r) => r.endsWith(' /metrics')), 'no /metrics on the API port');
});

test('a route nobody listed as public needs the token: 401 problem+json with a challenge', async () => {
  for (const [method, path] of [
    ['POST', '/internal/things/1'],
    ['PUT', '/admin/prices'],
    ['DELETE', '/nested/1'],
    ['GET', '/_faults'],
    ['GET', '/no-such-route'],
  ] as const) {
    const missing = await request(method, path);
    assert.equal(missing.status, 401, `${method} ${path}`);
    assert.equal(missing.headers.get('content-type')?.split(';')[0], 'application/problem+json');
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="orders-internal"');
    assert.equal(((await missing.json()) as { code: string }).code, 'UNAUTHENTICATED');

    const wrong = await request(method, path, `Bearer ${TOKEN}x`);
    assert.equal(wrong.status, 401, `${method} ${path}`);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal(((await wrong.json()) as { code: string }).code, 'TOKEN_INVALID');

    assert.notEqual((await request(method, path, `Bearer ${TOKEN}`)).status, 401, `${method} ${path}`);
  }
});

test('exactly the configured token passes: not a prefix, an extension, another scheme or an empty bearer', async () => {
  for (const authorization of [
    `Bearer ${TOKEN.slice(0, -1)}`,
    `Bearer ${TOKEN}${TOKEN}`,
    'Bearer short',
    `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`,
    'Bearer',
    `${TOKEN}`,
  ]) {
    const reply = await request('PUT', '/admin/prices', authorization);
    assert.equal(reply.status, 401, authorization);
  }
  assert.equal((await request('PUT', '/admin/prices', `bearer   ${TOKEN}  `)).status, 200);
});

test('the token is checked before the body is read: an unauthenticated non-JSON body is 401, not 415', async () => {
  const reply = await fetch(`${server.url}/internal/things/1`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: 'x'.repeat(1_000),
  });
  assert.equal(reply.status, 401);
});

test('probes and public prefixes need no internal token; look-alikes of a prefix do', async () => {
  assert.equal((await request('GET', '/healthz')).status, 200);
  assert.equal((await request('GET', '/readyz')).status, 200);
  assert.equal((await request('POST', '/healthz')).status, 405, 'another method on a probe: 405, not 401');
  assert.equal((await request('GET', '/v1/things/1')).status, 200);
  assert.equal((await request('GET', '/V1/things/1')).status, 200, 'case-insensitive like express routing');
  assert.equal((await request('GET', '/openapi.json')).status, 200);
  for (const path of ['/v1x/things/1', '//v1/things/1', '/openapi.json.bak', '/internal/v1/things/1'])
    assert.equal((await request('GET', path)).status, 401, path);
});

test('publicPathMatcher matches at segment boundaries and refuses ambiguous prefixes', () => {
  const isPublic = publicPathMatcher(['/v1', '/docs']);
  assert.deepEqual(
    ['/v1', '/v1/', '/v1/orders', '/DOCS/x', '/v10', '/v1.json', '/', '/internal/v1'].map(isPublic),
    [true, true, true, true, false, false, false, false],
  );
  for (const bad of ['v1', '/v1/', '/', '//v1', ''])
    assert.throws(() => publicPathMatcher([bad]), /must start with one/, bad);
});

test('requireInternalToken refuses to be configured without a token', () => {
  assert.throws(() => requireInternalToken(''), /must not be empty/);
});

test('/metrics is served on the metrics port only', async () => {
  await request('GET', '/v1/things/1');
  const scraped = await fetch(`${metricsServer.url}/metrics`);
  assert.equal(scraped.status, 200);
  assert.match(await scraped.text(), /http_server_requests_total\{[^}]*route="\/v1\/things\/:id"/);
  assert.equal((await request('GET', '/metrics', `Bearer ${TOKEN}`)).status, 404);
  assert.equal(
    (await fetch(`${metricsServer.url}/v1/things/1`)).status,
    404,
    'the API is not on the metrics port',
  );
});
