// How activity HTTP calls classify answers: a real HTTP server answering each status.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import express from 'express';
import { startServer, type RunningServer } from '@orders/platform';
import { createServiceClient } from '../src/activities/service-client';

let server: RunningServer;
const seenKeys: string[] = [];

before(async () => {
  const app = express();
  app.post('/status/:code', (req, res) => {
    seenKeys.push(req.header('idempotency-key') ?? '');
    const code = Number(req.params.code);
    if (code < 400) res.status(code).json({ ok: true });
    else
      res
        .status(code)
        .type('application/problem+json')
        .send(JSON.stringify({ title: 'no', detail: `refused with ${code}`, code: 'OUT_OF_STOCK' }));
  });
  // Answers as infrastructure does: no business code (a gateway's 401, express's 404 for no route).
  app.all('/bare/:code', (req, res) => {
    res.status(Number(req.params.code)).type('application/problem+json').send('{"title":"Unauthorized"}');
  });
  app.post('/invalid', (_req, res) => {
    res
      .status(400)
      .type('application/problem+json')
      .send(JSON.stringify({ title: 'Invalid request', errors: [{ field: 'items', message: 'required' }] }));
  });
  server = await startServer(app, 0);
});
after(() => server.close());

test('2xx returns the parsed body and sends the idempotency key', async () => {
  const client = createServiceClient('test', server.url);
  assert.deepEqual(await client.request('POST', '/status/201', { idempotencyKey: 'o-1:reserve' }), {
    ok: true,
  });
  assert.equal(seenKeys.at(-1), 'o-1:reserve');
});

test('a business 4xx is a non-retryable failure typed with the service code', async () => {
  const client = createServiceClient('test', server.url);
  for (const status of [400, 404, 409, 422]) {
    await assert.rejects(client.request('POST', `/status/${status}`), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.nonRetryable, true);
      assert.equal(err.type, 'OUT_OF_STOCK');
      assert.equal(err.message, `refused with ${status}`);
      return true;
    });
  }
});

test('5xx, 408, 429 and refused connections are plain (retryable) errors', async () => {
  const client = createServiceClient('test', server.url);
  for (const status of [500, 503, 408, 429]) {
    await assert.rejects(
      client.request('POST', `/status/${status}`),
      (err: unknown) => !(err instanceof ApplicationFailure),
    );
  }
  const closed = createServiceClient('test', 'http://127.0.0.1:1');
  await assert.rejects(
    closed.request('GET', '/'),
    (err: unknown) => err instanceof Error && !(err instanceof ApplicationFailure),
  );
});

test('the compensation client retries even a 4xx: an undo must not give up', async () => {
  const client = createServiceClient('test', server.url, { retryEverything: true });
  await assert.rejects(
    client.request('POST', '/status/409'),
    (err: unknown) => !(err instanceof ApplicationFailure),
  );
});

test('a 4xx without a business code (token mismatch, wrong route) is retried and reported', async () => {
  const seen: string[] = [];
  const client = createServiceClient('test', server.url, {
    onUnexpectedStatus: (service, status, method, path) =>
      seen.push(`${service} ${status} ${method} ${path}`),
  });
  for (const status of [401, 403, 404, 405]) {
    await assert.rejects(
      client.request('POST', `/bare/${status}`),
      (err: unknown) => err instanceof Error && !(err instanceof ApplicationFailure),
    );
  }
  // A route the server does not have at all: express's own 404, no problem document.
  await assert.rejects(
    client.request('POST', '/no/such/route'),
    (err: unknown) => err instanceof Error && !(err instanceof ApplicationFailure),
  );
  assert.deepEqual(seen, [
    'test 401 POST /bare/401',
    'test 403 POST /bare/403',
    'test 404 POST /bare/404',
    'test 405 POST /bare/405',
    'test 404 POST /no/such/route',
  ]);
});

test('a 400 naming invalid fields is a non-retryable refusal even without a code', async () => {
  const client = createServiceClient('test', server.url);
  await assert.rejects(client.request('POST', '/invalid'), (err: unknown) => {
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.nonRetryable, true);
    assert.equal(err.type, 'HTTP_400');
    return true;
  });
});
