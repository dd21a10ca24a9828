// The placement rate limit, per authenticated subject, through a tiny app with the platform
// error handler.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Router } from 'express';
import type { RunningServer } from '@orders/platform';
import { randomUUID } from 'node:crypto';
import { authenticate } from '../src/auth/middleware';
import { placementRateLimit } from '../src/http/placement-rate-limit';
import { bearer, call, customerToken, serve, silentLogger, tokens, type Problem } from './support';

let server: RunningServer;

before(async () => {
  const routes = Router();
  routes.post('/v1/orders', placementRateLimit({ perMinute: 3, logger: silentLogger }), (_req, res) => {
    res.status(202).json({ accepted: true });
  });
  server = await serve(authenticate(tokens), routes);
});

after(() => server.close());

const place = async (token: string) =>
  call<Problem>(`${server.url}/v1/orders`, { method: 'POST', headers: bearer(token) });

test('the fourth placement in a minute is refused with 429 RATE_LIMITED and Retry-After', async () => {
  const token = await customerToken(`rl-${randomUUID()}`);
  for (let i = 0; i < 3; i++) {
    const reply = await place(token);
    assert.equal(reply.status, 202);
    assert.match(reply.headers.get('ratelimit') ?? '', /"placements"; r=\d+; t=\d+/);
    assert.match(reply.headers.get('ratelimit-policy') ?? '', /"placements"; q=3; w=60/);
  }
  const refused = await place(token);
  assert.equal(refused.status, 429);
  assert.match(refused.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(refused.body.title, 'Too many requests');
  assert.equal(refused.body.code, 'RATE_LIMITED');
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.match(refused.headers.get('ratelimit') ?? '', /r=0/);
});

test('each customer has their own budget', async () => {
  const busy = await customerToken(`rl-${randomUUID()}`);
  for (let i = 0; i < 4; i++) await place(busy);
  assert.equal((await place(busy)).status, 429);
  assert.equal((await place(await customerToken(`rl-${randomUUID()}`))).status, 202);
});

test('a limit that is not a positive integer is a configuration error', () => {
  assert.throws(() => placementRateLimit({ perMinute: 0 }), /positive integer/);
  assert.throws(() => placementRateLimit({ perMinute: 2.5 }), /positive integer/);
});
