// vegeta for real (built into the tool cache on first use) against the express hello-world:
// the lazy attack hands every result back with its body, and the saturation run reports counts.
// No timing assertions: only that requests were made, answered and counted.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadStackConfig } from '@orders/stack/config';
import { BENCH_SRC, startChild, type Child } from '../src/children';
import { attack, ensureVegeta, saturate, vegetaRate, type HitResult } from '../src/vegeta';

let vegeta: string;
let server: Child;
let url: string;

before(async () => {
  vegeta = await ensureVegeta(loadStackConfig().cacheDir);
  server = await startChild({
    entry: path.join(BENCH_SRC, 'http/hello.ts'),
    env: {},
    logFile: path.join(mkdtempSync(path.join(tmpdir(), 'bench-test-')), 'hello.log'),
    readyPrefix: 'listening ',
  });
  url = `http://127.0.0.1:${server.readyLine.split(' ')[1]}/hello`;
});

after(async () => {
  await server?.stop();
});

test('a lazy attack sends generated targets and returns every result', async () => {
  const results: HitResult[] = [];
  let generated = 0;
  await attack({
    binary: vegeta,
    name: 'test',
    rate: 20,
    durationMs: 1_000,
    nextTarget: () => ({
      method: 'POST',
      url,
      header: { 'Content-Type': ['application/json'], 'Idempotency-Key': [`k-${generated++}`] },
      body: Buffer.from(JSON.stringify({ items: [] })).toString('base64'),
    }),
    onResult: (r) => results.push(r),
  });
  assert.ok(results.length > 0, 'no results');
  assert.ok(results.length <= 20, `${results.length} results for 20/s over 1 s`);
  assert.ok(generated >= results.length, 'vegeta sent more targets than it was given');
  for (const r of results) {
    assert.equal(r.error, '');
    assert.equal(r.code, 202);
    assert.equal(r.method, 'POST');
    assert.equal(r.url, url);
    assert.deepEqual(JSON.parse(r.body), { hello: 'world', received: true });
    assert.ok(r.latencyMs > 0 && Number.isFinite(r.timestampMs));
  }
});

test('a saturation run reports how many requests were answered', async () => {
  const report = await saturate({
    binary: vegeta,
    durationMs: 1_000,
    workers: 4,
    target: { method: 'GET', url },
  });
  assert.ok(report.requests > 0);
  assert.equal(report.success, 1);
  assert.equal(report.status_codes['200'], report.requests);
  assert.ok(report.throughput > 0);
});

test('fractional rates are written as an integer count over a longer period', () => {
  assert.equal(vegetaRate(5), '5/1s');
  assert.equal(vegetaRate(2.5), '250/100s');
  assert.equal(vegetaRate(0.33), '33/100s');
});
