import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import express from 'express';
import { z } from 'zod';
import {
  ConflictError,
  DomainError,
  type DomainErrorKind,
  createLogger,
  errorHandler,
  healthRouter,
  notFoundHandler,
  parseInput,
  requestContext,
  requireJsonBody,
  startServer,
  type RunningServer,
} from '../src/index';

const logger = createLogger('platform-test', 'silent');
let server: RunningServer;
let ready = true;

before(async () => {
  const app = express();
  app.use(requestContext());
  app.use(
    healthRouter({
      dependency: async () => {
        if (!ready) throw new Error('dependency down');
      },
    }),
  );
  app.post('/things', requireJsonBody(), express.json({ limit: '1kb' }), (req, res) => {
    const body = parseInput(
      z.object({
        name: z.string().min(1),
        items: z.array(z.object({ quantity: z.number().int().positive() })),
      }),
      req.body,
    );
    res.status(201).json(body);
  });
  app.get('/conflict', () => {
    throw new ConflictError('order already cancelled', { orderId: 'o-1' });
  });
  app.get('/domain/:kind', (req) => {
    throw new DomainError(req.params.kind as DomainErrorKind, 'SOME_CODE', `refused as ${req.params.kind}`, {
      sku: 'SKU-1',
    });
  });
  app.get('/boom', async () => {
    await Promise.resolve();
    throw new Error('secret internals');
  });
  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  server = await startServer(app, 0);
});
after(() => server.close());

const post = (body: string, type = 'application/json') =>
  fetch(`${server.url}/things`, { method: 'POST', headers: { 'content-type': type }, body });

test('a valid body is parsed and returned', async () => {
  const res = await post(JSON.stringify({ name: 'a', items: [{ quantity: 2 }] }));
  assert.equal(res.status, 201);
  assert.deepEqual(await res.json(), { name: 'a', items: [{ quantity: 2 }] });
});

test('validation errors are 400 problem+json naming each field', async () => {
  const res = await post(JSON.stringify({ name: '', items: [{ quantity: 0 }] }));
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  const problem = (await res.json()) as { errors: { field: string }[]; detail: string };
  assert.deepEqual(problem.errors.map((e) => e.field).sort(), ['items.0.quantity', 'name']);
  assert.match(problem.detail, /items\.0\.quantity/);
});

test('malformed JSON, oversized and non-JSON bodies get 400, 413 and 415', async () => {
  assert.equal((await post('{"name":')).status, 400);
  assert.equal((await post(JSON.stringify({ name: 'x'.repeat(2000), items: [] }))).status, 413);
  const wrongType = await post('name=a', 'application/x-www-form-urlencoded');
  assert.equal(wrongType.status, 415);
  assert.equal(wrongType.headers.get('content-type')?.split(';')[0], 'application/problem+json');
});

test('domain errors keep their status and extensions; unknown errors are opaque 500s', async () => {
  const conflict = await fetch(`${server.url}/conflict`);
  assert.equal(conflict.status, 409);
  assert.deepEqual(await conflict.json(), {
    type: 'urn:problem:conflict',
    title: 'Conflict',
    status: 409,
    detail: 'order already cancelled',
    instance: '/conflict',
    orderId: 'o-1',
  });
  const boom = await fetch(`${server.url}/boom`);
  assert.equal(boom.status, 500);
  assert.doesNotMatch(await boom.text(), /secret internals/);
});

test("a domain error's kind decides its status; its code and details become extensions", async () => {
  const expected: Record<DomainErrorKind, [number, string]> = {
    rejected: [422, 'Business rule violated'],
    conflict: [409, 'Conflict'],
    not_found: [404, 'Not found'],
    forbidden: [403, 'Forbidden'],
    unavailable: [503, 'Service unavailable'],
    precondition_failed: [412, 'Precondition failed'],
    precondition_required: [428, 'Precondition required'],
  };
  for (const [kind, [status, title]] of Object.entries(expected)) {
    const res = await fetch(`${server.url}/domain/${kind}`);
    assert.equal(res.status, status, kind);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.deepEqual(await res.json(), {
      type: `urn:problem:${title.toLowerCase().replace(/ /g, '-')}`,
      title,
      status,
      detail: `refused as ${kind}`,
      instance: `/domain/${kind}`,
      code: 'SOME_CODE',
      sku: 'SKU-1',
    });
  }
});

test('unknown routes are 404 problem+json and every response carries a request id', async () => {
  const res = await fetch(`${server.url}/nope`, { headers: { 'x-request-id': 'req-123' } });
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('x-request-id'), 'req-123');
});

test('readiness reflects dependencies while liveness does not', async () => {
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  ready = false;
  const res = await fetch(`${server.url}/readyz`);
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), {
    status: 'not ready',
    checks: { dependency: { status: 'down', error: 'dependency down' } },
  });
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  ready = true;
});
