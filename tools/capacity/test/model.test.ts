import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { measuredCpu, engineCost } from '../src/bench-input';
import { chartDefaults, cpuCores, readChartDefaults } from '../src/chart';
import type { BenchReport } from '@orders/bench/report';
import { REPO_ROOT } from '@orders/stack/repo-root';
import {
  averagePerSec,
  cores,
  databaseWrites,
  historyShards,
  nextPowerOfTwo,
  peakPerSec,
  plan,
  planScale,
  type ModelInputs,
} from '../src/model';
import { readSagaShape } from '../src/saga-shape';

const report = (overrides: Partial<BenchReport> = {}): BenchReport =>
  ({
    scenario: 'steady',
    runId: 'test',
    startedAt: '2026-12-01T00:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'test', memoryGiB: 24, node: 'v20', platform: 'linux x64' },
    steps: [{ rate: 10, durationMs: 40_000 }],
    load: { sagasCompletedPerSec: 9, outcomes: { completed: 100, failed: 0, cancelled: 0, open: 0 } },
    cpu: {
      windowSeconds: 50,
      seconds: { worker: 10, temporal: 5, order: 1, kafka: 2, vegeta: 3, mailpit: 1 },
    },
    ...overrides,
  }) as BenchReport;

const inputs = (r: BenchReport = report()): ModelInputs => ({
  cpu: measuredCpu(r, 'loadtest/reports/test.json'),
  shape: readSagaShape(),
  chart: readChartDefaults(),
  refundWindowSeconds: 30 * 86_400,
  smtpSendMs: 100,
  peakFactor: 10,
  headroom: 1.5,
});

test('CPU per saga is the bench’s: per process, load generator left out', () => {
  const cpu = measuredCpu(report(), 'r.json');
  assert.equal(cpu.derived, true);
  assert.equal(cpu.perSaga.sagas, 100);
  assert.equal(cpu.perSaga.byProcessMs.worker, 100);
  assert.equal(cpu.perSaga.byProcessMs.vegeta, undefined);
  const given = measuredCpu(
    report({ cpuPerSaga: { sagas: 7, totalMs: 3, byProcessMs: { worker: 3 } } }),
    'r.json',
  );
  assert.equal(given.derived, false);
  assert.equal(given.perSaga.byProcessMs.worker, 3);
});

test('peak is 10× the average and the average is orders/day over a day', () => {
  assert.equal(averagePerSec(86_400), 1);
  assert.equal(peakPerSec(1_000_000, 10), averagePerSec(1_000_000) * 10);
  const [p] = plan(inputs(), [864_000]);
  assert.equal(p!.averagePerSec, 10);
  assert.equal(p!.peakPerSec, 100);
});

test('doubling CPU per saga doubles every component’s cores', () => {
  const base = report();
  const doubled = report({
    cpu: {
      windowSeconds: 50,
      seconds: Object.fromEntries(Object.entries(base.cpu.seconds).map(([k, v]) => [k, v * 2])),
    },
  });
  const a = planScale(inputs(base), 1_000_000);
  const b = planScale(inputs(doubled), 1_000_000);
  for (const c of a.components) {
    const twin = b.components.find((d) => d.name === c.name)!;
    assert.ok(Math.abs(twin.peakCores - 2 * c.peakCores) < 1e-9, c.name);
  }
  assert.equal(cores(50, 20, 1.5), 1.5);
  assert.ok(b.worker.replicasAtRequest >= 2 * a.worker.replicasAtRequest - 1);
});

test('provider stand-ins are not planned as our cores; Temporal takes the larger of measured and per-task', () => {
  const p = planScale(inputs(), 1_000_000);
  assert.equal(
    p.components.find((c) => c.name === 'mailpit'),
    undefined,
  );
  const temporal = p.components.find((c) => c.name === 'temporal')!;
  assert.equal(temporal.msPerSaga, 50); // no ceiling in this report: the measured 5 s / 100 sagas
  const split = Object.values(p.temporal.split).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(split - p.temporal.cores) < 1e-9);
});

test('shard count is a power of two, at least what the per-shard rate needs and the chart default', () => {
  for (const updates of [1, 999, 10_000, 393_519, 2_000_000]) {
    const s = historyShards(updates, 1.5);
    assert.equal(s.recommended & (s.recommended - 1), 0, `${s.recommended} is a power of two`);
    assert.ok(s.recommended >= s.needed && s.recommended >= 512);
    assert.ok(s.needed * s.perShard >= updates * 1.5);
  }
  assert.equal(nextPowerOfTwo(513), 1024);
  assert.equal(nextPowerOfTwo(512), 512);
  assert.equal(historyShards(2_000_000, 1.5).recommended, 4096);
});

test('the engine’s CPU per task is its Temporal CPU over the tasks it ran', () => {
  const cost = engineCost({
    seconds: 10,
    engine: {
      workflowsPerSec: 10,
      completed: 90,
      measuredSeconds: 9,
      concurrency: 1,
      errors: 0,
      cpuSeconds: { temporal: 13 },
    } as never,
    http: {} as never,
  });
  // 10/s × 10 s × (6 activity + 7 workflow tasks) = 1,300 tasks for 13 CPU s.
  assert.equal(cost?.temporalMsPerTask, 10);
});

test('history counting on the recorded fixtures', () => {
  const completed = readSagaShape();
  // Validate, commit and the outcome's record run as local activities: markers, not tasks.
  assert.equal(completed.workflowTasks, 6);
  assert.equal(completed.activityTasks, 4);
  assert.equal(completed.localActivities, 3);
  assert.equal(completed.kafkaEventCount, 4);
  assert.equal(completed.emailedEvents, 1);
  assert.equal(completed.timers, 1);
  const failed = readSagaShape(path.join(REPO_ROOT, 'orchestrator/test/histories/failed-at-authorize.json'));
  // The declined card compensates: void and release instead of confirm, capture and commit.
  assert.deepEqual(Object.keys(failed.activitiesByType).sort(), [
    'authorizePayment',
    'recordOutcome',
    'releaseReservation',
    'reserveStock',
    'validateOrder',
    'voidPayment',
  ]);
  assert.deepEqual(failed.kafkaEvents, { OrderPlaced: 1, OrderFailed: 1 });
  assert.equal(failed.emailedEvents, 1, 'OrderFailed is e-mailed, OrderPlaced is not');
});

test('writes per order: the starter’s batch shares its claim and mark; notifications follow the events', () => {
  const writes = databaseWrites(readSagaShape());
  const orders = writes.find((w) => w.database === 'orders')!;
  assert.equal(orders.commitsPerOrderWorst, 6);
  assert.ok(orders.commitsPerOrder < orders.commitsPerOrderWorst);
  // 3 recorded (1 each) + 1 e-mailed (claim, renew, mark sent).
  assert.equal(writes.find((w) => w.database === 'notifications')!.commitsPerOrder, 6);
});

test('chart CPU quantities and defaults', () => {
  assert.equal(cpuCores('250m'), 0.25);
  assert.equal(cpuCores('2'), 2);
  assert.equal(cpuCores(1), 1);
  assert.throws(() => cpuCores('2Gi'));
  const chart = readChartDefaults();
  assert.ok(chart.hpa.maxReplicas >= chart.hpa.minReplicas);
  assert.throws(() => chartDefaults('autoscaling: {}', 'bad.yaml'), /bad\.yaml/);
});

test('the HPA bounds grow with the scale and stay above what a disruption takes', () => {
  const plans = plan(inputs());
  for (let i = 1; i < plans.length; i++) assert.ok(plans[i]!.worker.hpaMax >= plans[i - 1]!.worker.hpaMax);
  for (const p of plans) assert.ok(p.worker.hpaMin >= 2 && p.worker.hpaMax >= p.worker.hpaMin);
});
