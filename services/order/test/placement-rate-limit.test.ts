// The placement rate limit across replicas: two order service processes (two pools) on one
// database share one budget, and only accepted orders use it up. Real processes on the running
// stack: an inventory service and two order services at 3 placements a minute.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Router } from 'express';
import { createPool, type ProblemDetails } from '@orders/platform';
import { freePorts, startSystem, type RunningSystem } from '@orders/stack/system';
import { pickStackEnv } from '@orders/stack/stack';
import { DEV_JWT_SECRET, createTokenService } from '../src/auth/tokens';
import { placementRateLimit } from '../src/routes/placement-rate-limit';
import { bearer, call, requireEnv, serve, silentLogger } from './support';

const PER_MINUTE = 3;
let first: RunningSystem;
let second: RunningSystem;
let sku: string;

before(async () => {
  requireEnv('ORDERS_DATABASE_URL');
  const suffix = randomUUID().slice(0, 8);
  const common = {
    stackEnv: pickStackEnv(process.env),
    logDir: path.join(process.env.STACK_DIR ?? '.stack/test', 'logs', `rate-limit-${suffix}`),
    // A queue no worker serves: these orders only need to be accepted.
    taskQueue: `rate-limit-${suffix}`,
    logLevel: 'warn',
    extraEnv: { order: { PLACEMENT_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) } },
  };
  const ports = await freePorts();
  first = await startSystem({ ...common, ports }, ['inventory', 'order']);
  // The second replica prices from the first one's inventory service.
  second = await startSystem({ ...common, ports: { ...(await freePorts()), inventory: ports.inventory } }, [
    'order',
  ]);
  sku = `RL-${suffix.toUpperCase()}`;
  const created = await fetch(`${first.urls.inventory}/v1/products/${sku}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${first.internalApiToken}` },
    body: JSON.stringify({ name: 'Rate limit mug', unitPrice: 500, currency: 'eur', onHand: 1000 }),
  });
  assert.equal(created.status, 201, await created.text());
});

after(async () => {
  await second?.stop();
  await first?.stop();
});

interface Placed {
  orderId: string;
}

const place = (replica: RunningSystem, token: string, body: unknown, key: string = randomUUID()) =>
  call<Placed & ProblemDetails>(`${replica.urls.order}/v1/orders`, {
    method: 'POST',
    headers: { ...bearer(token), 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });

const mug = () => ({ items: [{ sku, quantity: 1 }], paymentMethod: 'pm_card_visa' });
// The processes run in development: they accept tokens signed with the development secret.
const devTokens = createTokenService({ secret: DEV_JWT_SECRET });
const newCustomer = () => {
  const sub = `rl-${randomUUID()}`;
  return devTokens.sign({ sub, role: 'customer', email: `${sub}@example.test` });
};

function assertRefused(reply: Awaited<ReturnType<typeof place>>): void {
  assert.equal(reply.status, 429, JSON.stringify(reply.body));
  assert.match(reply.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(reply.body.code, 'RATE_LIMITED');
  const retryAfter = Number(reply.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.match(reply.headers.get('ratelimit') ?? '', /"placements"; r=0; t=\d+/);
}

test('two replicas share one budget: the fourth placement in a minute is refused on either', async () => {
  const token = await newCustomer();
  for (const replica of [first, second, first]) {
    const reply = await place(replica, token, mug());
    assert.equal(reply.status, 202, JSON.stringify(reply.body));
    assert.match(reply.headers.get('ratelimit-policy') ?? '', /"placements"; q=3; w=60/);
  }
  assertRefused(await place(second, token, mug()));
  assertRefused(await place(first, token, mug()));
  // Another customer has a budget of their own.
  assert.equal((await place(second, await newCustomer(), mug())).status, 202);
});

test('concurrent placements through both replicas accept exactly the limit', async () => {
  const token = await newCustomer();
  const replies = await Promise.all(
    Array.from({ length: 10 }, (_, i) => place(i % 2 ? first : second, token, mug())),
  );
  const statuses = replies.map((r) => r.status).sort();
  assert.deepEqual(statuses, [202, 202, 202, 429, 429, 429, 429, 429, 429, 429]);
});

test('refused requests (400, 422) do not use up the budget', async () => {
  const token = await newCustomer();
  const refusals = [
    { body: { items: [], paymentMethod: 'pm_card_visa' }, status: 400 },
    { body: { items: [{ sku, quantity: 0 }], paymentMethod: 'pm_card_visa' }, status: 400 },
    { body: { ...mug(), extra: true }, status: 400 },
    {
      body: { items: [{ sku: `NO-SUCH-${randomUUID().slice(0, 8)}`, quantity: 1 }], paymentMethod: 'x' },
      status: 422,
    },
    { body: { items: [{ sku, quantity: 5000 }], paymentMethod: 'pm_card_visa' }, status: 400 },
  ];
  for (const [i, { body, status }] of refusals.entries()) {
    const reply = await place(i % 2 ? first : second, token, body);
    assert.equal(reply.status, status, JSON.stringify(reply.body));
  }
  // No Idempotency-Key at all: 400 before the limit is consulted.
  const keyless = await call<ProblemDetails>(`${first.urls.order}/v1/orders`, {
    method: 'POST',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    body: JSON.stringify(mug()),
  });
  assert.equal(keyless.status, 400);
  for (let i = 0; i < PER_MINUTE; i++)
    assert.equal((await place(i % 2 ? first : second, token, mug())).status, 202, `placement ${i + 1}`);
  assertRefused(await place(first, token, mug()));
});

test('a replay of an accepted order neither uses up the budget nor is refused when it is used up', async () => {
  const token = await newCustomer();
  const key = randomUUID();
  const original = await place(first, token, mug(), key);
  assert.equal(original.status, 202);
  const replayed = await place(second, token, mug(), key);
  assert.equal(replayed.status, 202);
  assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
  assert.equal(replayed.body.orderId, original.body.orderId);
  // The replay took nothing: two more new orders fit.
  assert.equal((await place(second, token, mug())).status, 202);
  assert.equal((await place(first, token, mug())).status, 202);
  assertRefused(await place(second, token, mug()));
  // Budget used up: the client retrying after a lost response still learns its order.
  const late = await place(second, token, mug(), key);
  assert.equal(late.status, 202, JSON.stringify(late.body));
  assert.equal(late.body.orderId, original.body.orderId);
  // The same key for a different order is refused as reused, not as rate limited.
  const reused = await place(first, token, { ...mug(), paymentMethod: 'pm_card_mastercard' }, key);
  assert.equal(reused.status, 422);
  assert.equal(reused.body.code, 'IDEMPOTENCY_KEY_REUSED');
});

test('with its database unreachable the limit holds per replica: neither open nor closed', async () => {
  // Nothing listens on port 1: every query fails at once.
  const pool = createPool('postgres://app@127.0.0.1:1/orders', { max: 1 });
  const limit = placementRateLimit({ pool, perMinute: 2, logger: silentLogger });
  const routes = Router();
  routes.post('/place', async (_req, res) => {
    await limit.admit(res, 'offline-customer');
    res.status(202).json({});
  });
  const server = await serve(routes);
  try {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(`${server.url}/place`, { method: 'POST' })).status);
    assert.deepEqual(statuses, [202, 202, 429]);
  } finally {
    await server.close();
    await pool.end();
  }
});

test('a limit that is not a positive integer is a configuration error', async () => {
  const pool = createPool(requireEnv('ORDERS_DATABASE_URL'), { max: 1 });
  try {
    for (const perMinute of [0, 2.5])
      assert.throws(() => placementRateLimit({ pool, perMinute, logger: silentLogger }), /positive integer/);
  } finally {
    await pool.end();
  }
});
