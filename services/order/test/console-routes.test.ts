// The console's side of the order service, as a real process on the real stack: in production
// there is no development sign-in (nothing mints tokens), in development there is; the timeline
// and counts are for support only, and a timeline answers even before a saga exists.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { APP_NODE_ARGS, REPO_ROOT, entryOf } from '@orders/stack/apps';
import { freePorts } from '@orders/stack/system';
import { createTokenService } from '../src/auth/tokens';
import { bearer, call, requireEnv } from './support';
import type { ProblemDetails } from '@orders/platform';

const started: ChildProcess[] = [];
after(() => {
  for (const child of started) child.kill('SIGTERM');
});

async function startOrderService(nodeEnv: 'production' | 'development') {
  const ports = await freePorts();
  const port = ports.order;
  const secret = randomBytes(32).toString('hex');
  const child = spawn(process.execPath, [...APP_NODE_ARGS, entryOf('order')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: nodeEnv,
      // The local stack is plain text, which production refuses unless told.
      ALLOW_PLAINTEXT: 'temporal,postgres',
      PORT: String(port),
      // Two of these run at once: neither may take the default metrics port.
      METRICS_PORT: String(ports.metrics.order),
      LOG_LEVEL: 'warn',
      ORDERS_DATABASE_URL: requireEnv('ORDERS_DATABASE_URL'),
      TEMPORAL_ADDRESS: requireEnv('TEMPORAL_ADDRESS'),
      // Its own queue: this service's saga starter must not start anyone else's sagas.
      TEMPORAL_TASK_QUEUE: `console-routes-${randomUUID().slice(0, 8)}`,
      JWT_SECRET: secret,
      INTERNAL_API_TOKEN: randomBytes(24).toString('hex'),
      // Nothing listens here: the timeline says e-mails are unavailable instead of failing.
      NOTIFICATION_SERVICE_URL: `http://127.0.0.1:${(await freePorts()).notification}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`order service exited (${child.exitCode}):\n${output}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`order service not ready after 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, tokens: createTokenService({ secret }) };
}

describe('console routes of the order service', { timeout: 120_000 }, () => {
  test('in production (NODE_ENV=production) there is no development sign-in', async () => {
    const { url, tokens } = await startOrderService('production');
    const offered = await call<ProblemDetails>(`${url}/console/dev-sign-in`);
    assert.equal(offered.status, 404);
    const minted = await call<ProblemDetails>(`${url}/console/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'intruder' }),
    });
    assert.equal(minted.status, 404, JSON.stringify(minted.body));
    assert.ok(!('token' in (minted.body as object)));
    // The page itself is served (or says it is not built): it only talks to the API with a token.
    const page = await call(`${url}/console/`);
    assert.ok([200, 503].includes(page.status), String(page.status));
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);

    const support = await tokens.sign({ sub: 'agent-prod', role: 'support' });
    const customer = await tokens.sign({ sub: 'cust-prod', role: 'customer', email: 'c@example.test' });
    const unknown = randomUUID();
    assert.equal(
      (await call(`${url}/v1/orders/${unknown}/timeline`, { headers: bearer(customer) })).status,
      403,
    );
    assert.equal(
      (await call(`${url}/v1/orders/${unknown}/timeline`, { headers: bearer(support) })).status,
      404,
    );
    assert.equal(
      (await call(`${url}/v1/orders/not-a-uuid/timeline`, { headers: bearer(support) })).status,
      400,
    );
    assert.equal((await call(`${url}/v1/order-counts`, { headers: bearer(customer) })).status, 403);
    const counts = await call<{ total: number; byStatus: Record<string, number> }>(
      `${url}/v1/order-counts?customerId=${randomUUID()}`,
      { headers: bearer(support) },
    );
    assert.equal(counts.status, 200, JSON.stringify(counts.body));
    assert.deepEqual(counts.body, {
      total: 0,
      byStatus: { PENDING: 0, CONFIRMED: 0, COMPLETED: 0, FAILED: 0, CANCELLED: 0 },
    });
    const badRange = await call<ProblemDetails>(`${url}/v1/order-counts?from=yesterday`, {
      headers: bearer(support),
    });
    assert.equal(badRange.status, 400);
    assert.equal(badRange.body.errors?.[0]?.field, 'from');
  });

  test('in development the sign-in mints a support token the API accepts', async () => {
    const { url } = await startOrderService('development');
    assert.equal((await call(`${url}/console/dev-sign-in`)).status, 200);
    const minted = await call<{ token: string; subject: string; role: string }>(
      `${url}/console/dev-sign-in`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'ada' }),
      },
    );
    assert.equal(minted.status, 201);
    assert.deepEqual([minted.body.subject, minted.body.role], ['dev-ada', 'support']);
    const counts = await call(`${url}/v1/order-counts`, { headers: bearer(minted.body.token) });
    assert.equal(counts.status, 200);
    const badName = await call<ProblemDetails>(`${url}/console/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '<script>' }),
    });
    assert.equal(badName.status, 400);
  });
});
