// From hits and terminal events to the report's figures, thresholds and printed table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseLoad, errorCause, timeline } from '../src/analyse';
import type { Terminal } from '../src/completions';
import type { Hit, LoadResult } from '../src/load';
import { toHit } from '../src/load';
import { checkThresholds, formatTable, machine, type BenchReport } from '../src/report';
import type { Scenario } from '../src/scenarios';

const T0 = 1_700_000_000_000;
const url = 'http://127.0.0.1:3001/v1/orders';
const place = (i: number, code = 202): Hit =>
  toHit(
    {
      timestampMs: T0 + i * 100,
      latencyMs: 10 + i,
      code,
      error: code === 0 ? 'dial tcp: connection refused' : '',
      method: 'POST',
      url,
      body: code === 202 ? JSON.stringify({ orderId: `order-${i}` }) : '',
    },
    0,
  );

const load: LoadResult = {
  hits: [...Array.from({ length: 10 }, (_, i) => place(i)), place(10, 503), place(11, 0)],
  startedAtMs: T0,
  endedAtMs: T0 + 2_000,
  stepStarts: [T0],
  targetsGenerated: 150,
};
const terminal = new Map<string, Terminal>(
  Array.from({ length: 9 }, (_, i) => [
    `order-${i}`,
    { outcome: i === 8 ? 'FAILED' : 'COMPLETED', atMs: T0 + 500 + i * 200 },
  ]),
);
const createdAt = new Map(Array.from({ length: 10 }, (_, i) => [`order-${i}`, T0 + i * 100]));

test('hits become counts, rates, latencies and outcomes', () => {
  const { load: figures, completions } = analyseLoad({
    load,
    steps: [{ rate: 6, durationMs: 2_000 }],
    terminal,
    createdAt,
    drainSeconds: 1.5,
  });
  assert.equal(figures.ordersAccepted, 10);
  assert.equal(figures.ordersAcceptedPerSec, 5);
  assert.deepEqual(figures.requests.place, {
    sent: 12,
    ok: 10,
    errors: 2,
    latencyMs: { count: 10, p50: 14, p95: 19, p99: 19, max: 19 },
  });
  assert.deepEqual(figures.errors.byCause, { 'place HTTP 503': 1, 'place connection refused': 1 });
  assert.equal(figures.errors.rate, 0.1667);
  assert.deepEqual(figures.outcomes, { completed: 8, failed: 1, cancelled: 0, open: 1 });
  assert.equal(completions.length, 8);
  // Completion latency from created_at to the event: 500 + 200i - 100i.
  assert.deepEqual(
    completions.map((c) => c.valueMs),
    Array.from({ length: 8 }, (_, i) => 500 + 100 * i),
  );
  assert.equal(figures.sagasCompleted, 8); // all within [T0, T0 + 2 s]
  assert.equal(figures.placeLatencyMs.p50, 14);

  const buckets = timeline(load, [{ rate: 6, durationMs: 2_000 }], completions);
  assert.equal(buckets.length, 2);
  assert.deepEqual(
    buckets.map((b) => [b.offered, b.accepted, b.completed]),
    [
      [6, 10, 3],
      [6, 0, 5],
    ],
  );

  const scenario = {
    thresholds: { errorRate: 0.2, placeP99Ms: 15, terminalRate: 0.95 },
  } as unknown as Scenario;
  const checks = checkThresholds(scenario, figures);
  assert.deepEqual(
    checks.map((c) => [c.name, c.pass]),
    [
      ['errorRate', true],
      ['placeP99Ms', false],
      ['terminalRate', false],
    ],
  );

  const report: BenchReport = {
    scenario: 'steady',
    description: '',
    runId: 'r',
    startedAt: new Date(T0).toISOString(),
    machine: machine(),
    steps: [{ rate: 6, durationMs: 2_000 }],
    load: figures,
    cpu: { windowSeconds: 4, seconds: { order: 1, worker: 2 } },
    thresholds: checks,
  };
  assert.equal(figures.perStep.length, 1);
  assert.equal(figures.perStep[0]!.acceptedPerSec, 5);
  assert.equal(figures.perStep[0]!.completionLatencyMs.count, 8);
  const table = formatTable(report);
  assert.match(table, /orders accepted\/s +5\.00/);
  assert.match(table, /terminalRate +0\.900 >= 0\.95 +FAIL/);
  assert.doesNotMatch(table, /undefined/);
});

test('transport errors are grouped by cause', () => {
  assert.equal(errorCause({ code: 0, error: 'Post "x": context deadline exceeded' }), 'timeout');
  assert.equal(errorCause({ code: 0, error: 'read: connection reset by peer' }), 'connection reset');
  assert.equal(errorCause({ code: 429, error: '' }), 'HTTP 429');
});
