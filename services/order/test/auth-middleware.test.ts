// authenticate / requireRole through a tiny express app with the platform error handler, so the
// problem+json responses are the real ones. (The internal token: libs/platform/test/internal-auth.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Router } from 'express';
import type { RunningServer, ProblemDetails } from '@orders/platform';
import { authenticate, principalOf, requireRole } from '../src/auth/middleware';
import { createTokenService } from '../src/auth/tokens';
import { bearer, call, customerToken, serve, supportToken, tokens } from './support';

let server: RunningServer;

before(async () => {
  const routes = Router();
  routes.get('/unguarded', (_req, res) => {
    res.json(principalOf(res));
  });
  routes.use('/v1', authenticate(tokens));
  routes.get('/v1/me', (_req, res) => {
    res.json(principalOf(res));
  });
  routes.post('/v1/refunds', requireRole('support'), (_req, res) => {
    res.status(201).json({ ok: true });
  });
  server = await serve(routes);
});

after(() => server.close());

const assertUnauthorized = (
  reply: { status: number; headers: Headers; body: ProblemDetails },
  code: string,
  challenge: RegExp,
) => {
  assert.equal(reply.status, 401);
  assert.match(reply.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(reply.body.code, code);
  assert.equal(reply.body.title, 'Unauthorized');
  assert.match(reply.headers.get('www-authenticate') ?? '', challenge);
};

test('a valid token reaches the route with its principal', async () => {
  const reply = await call<{ subject: string; role: string }>(`${server.url}/v1/me`, {
    headers: bearer(await customerToken('cust-42')),
  });
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { subject: 'cust-42', role: 'customer', email: 'cust-42@example.test' });
});

test('no Authorization header: 401 UNAUTHENTICATED with a plain Bearer challenge', async () => {
  const reply = await call<ProblemDetails>(`${server.url}/v1/me`);
  assertUnauthorized(reply, 'UNAUTHENTICATED', /^Bearer realm="orders"$/);
});

test('another scheme, or Bearer with nothing after it, is not a bearer token', async () => {
  for (const authorization of ['Basic YWxhZGRpbjpvcGVuc2VzYW1l', 'Bearer', 'Bearer   ']) {
    const reply = await call<ProblemDetails>(`${server.url}/v1/me`, { headers: { authorization } });
    assertUnauthorized(reply, 'UNAUTHENTICATED', /^Bearer realm="orders"$/);
  }
});

test('a garbage or wrongly signed token: 401 TOKEN_INVALID with error="invalid_token"', async () => {
  const otherSecret = createTokenService({ secret: 'not-the-service-secret-0123456789abcdef' });
  for (const token of ['abc.def.ghi', await otherSecret.sign({ sub: 'agent-1', role: 'support' })]) {
    const reply = await call<ProblemDetails>(`${server.url}/v1/me`, { headers: bearer(token) });
    assertUnauthorized(reply, 'TOKEN_INVALID', /^Bearer realm="orders", error="invalid_token"/);
  }
});

test('an expired token: 401 TOKEN_EXPIRED', async () => {
  const reply = await call<ProblemDetails>(`${server.url}/v1/me`, {
    headers: bearer(await customerToken('cust-1', '-5m')),
  });
  assertUnauthorized(reply, 'TOKEN_EXPIRED', /error="invalid_token"/);
});

test('requireRole: the wrong role gets 403 FORBIDDEN, the right one passes', async () => {
  const denied = await call<ProblemDetails>(`${server.url}/v1/refunds`, {
    method: 'POST',
    headers: bearer(await customerToken('cust-1')),
  });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.code, 'FORBIDDEN');
  assert.match(denied.headers.get('content-type') ?? '', /application\/problem\+json/);

  const allowed = await call(`${server.url}/v1/refunds`, {
    method: 'POST',
    headers: bearer(await supportToken()),
  });
  assert.equal(allowed.status, 201);
});

test('principalOf without authenticate is a server bug (500), not a client error', async () => {
  const reply = await call<ProblemDetails>(`${server.url}/unguarded`, {
    headers: bearer(await supportToken()),
  });
  assert.equal(reply.status, 500);
});
