// The scaling rule on the real stack: a burst of orders through the public API raises the task-queue
// backlog past the target, the autoscaler starts workers, the backlog drains, every saga completes,
// and after the (shortened) stabilisation window the pool returns to its minimum. Then the control
// loop alone, driven by hand against a recording target, and the metric parser.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createLogger } from '@orders/platform';
import { pickStackEnv } from '@orders/stack/stack';
import { Autoscaler } from '../src/autoscaler';
import { backlogFromExposition } from '../src/backlog-metric';
import { chartHpaSpec } from '../src/chart-values';
import { HorizontalAutoscaler, compressTime, type HpaSpec } from '../src/hpa';
import { runScenario } from '../src/scenario';
import type { ScaleTarget } from '../src/worker-pool';

const logger = createLogger('autoscaler-test', process.env.LOG_LEVEL ?? 'warn');

test(
  'a burst scales the workers up on the backlog, drains it, and scales back to min',
  { timeout: 600_000 },
  async (t) => {
    const stackEnv = pickStackEnv(process.env);
    if (!stackEnv.TEMPORAL_ADDRESS)
      throw new Error('TEMPORAL_ADDRESS is not set: source the stack env first');
    // The chart's behavior on a clock x0.05 (down window 300 s -> 15 s), a small target and max.
    const spec: HpaSpec = compressTime(
      { ...chartHpaSpec(), targetAverageValue: 3, minReplicas: 1, maxReplicas: 3 },
      0.05,
    );
    const orders = 60;

    const result = await runScenario({
      stackEnv,
      logDir: path.join(process.env.STACK_DIR ?? '.stack/test', 'logs', `autoscaler-${Date.now()}`),
      logger,
      hpa: spec,
      syncPeriodMs: 1_000,
      orders,
      ratePerSecond: 0,
      // Two activity slots per worker: one worker drains far slower than the burst arrives.
      workerSlots: { workflowTasks: 40, activities: 2 },
      timeoutMs: 420_000,
    });
    const { timeline, counts } = result;
    const show = () => JSON.stringify(timeline.map((s) => [s.t, s.backlog, s.workers, s.desired]));
    t.diagnostic(`[t, backlog, workers, desired]: ${show()}`);

    assert.deepEqual(
      counts,
      { placed: orders, rejected: 0, completed: orders, failed: 0 },
      'every saga completed',
    );
    const firstScaleUp = timeline.findIndex((s) => s.desired > s.workers);
    assert.ok(firstScaleUp >= 0, `the autoscaler scaled up: ${show()}`);
    const trigger = timeline[firstScaleUp];
    assert.ok(
      trigger && (trigger.backlog ?? 0) > spec.targetAverageValue * trigger.workers,
      `scaled up because the backlog per worker passed the target: ${show()}`,
    );
    assert.ok(Math.max(...timeline.map((s) => s.workers)) > 1, `more than one worker ran: ${show()}`);
    assert.ok(Math.max(...timeline.map((s) => s.workers)) <= spec.maxReplicas, 'never above max');

    const peak = timeline.findIndex((s) => s.backlog === Math.max(...timeline.map((x) => x.backlog ?? 0)));
    const drained = timeline.findIndex((s, i) => i > peak && s.backlog === 0);
    assert.ok(drained > peak, `the backlog drained to 0 after its peak: ${show()}`);
    const last = timeline.at(-1);
    assert.equal(last?.backlog, 0);
    assert.equal(last?.desired, spec.minReplicas, 'back at min');
    assert.ok(
      timeline.every((s) => s.desired >= spec.minReplicas),
      'never below min',
    );
  },
);

describe('the control loop', () => {
  /** A target that only records what it is told. */
  function recordingTarget(initial: number): ScaleTarget & { calls: number[] } {
    let replicas = initial;
    const calls: number[] = [];
    return {
      calls,
      get replicas() {
        return replicas;
      },
      get readyReplicas() {
        return replicas;
      },
      async scaleTo(n: number) {
        calls.push(n);
        replicas = n;
      },
    };
  }

  test('each tick reads the metric, reconciles and scales; an unreadable metric holds', async () => {
    const spec = { ...chartHpaSpec(), minReplicas: 1, maxReplicas: 6, targetAverageValue: 10 };
    const target = recordingTarget(1);
    const metrics = [0, 35, undefined, 35, 0];
    let now = 0;
    const loop = new Autoscaler({
      hpa: new HorizontalAutoscaler(spec),
      target,
      readMetric: async () => metrics.shift(),
      syncPeriodMs: 15_000,
      logger,
      now: () => now,
      extra: () => ({ placed: 7 }),
    });
    const ticks = [];
    for (let i = 0; i < 5; i++) {
      ticks.push(await loop.tick());
      now += 15_000;
    }
    assert.deepEqual(
      ticks.map((s) => [s.backlog, s.workers, s.desired, s.reason]),
      [
        [0, 1, 1, 'TooFewReplicas'],
        [35, 1, 4, 'DesiredWithinRange'],
        [null, 4, 4, 'MetricUnavailable'],
        [35, 4, 4, 'DesiredWithinRange'],
        // The chart's 300 s down window still remembers the proposal of 4.
        [0, 4, 4, 'ScaleDownStabilized'],
      ],
    );
    assert.deepEqual(target.calls, [4]);
    assert.deepEqual(ticks[0]?.extra, { placed: 7 });
    assert.equal(loop.timeline.length, 5);
  });

  test('start() runs ticks every sync period until stop()', async () => {
    const target = recordingTarget(2);
    const loop = new Autoscaler({
      hpa: new HorizontalAutoscaler({ ...chartHpaSpec(), minReplicas: 2 }),
      target,
      readMetric: async () => 0,
      syncPeriodMs: 20,
      logger,
    });
    loop.start();
    while (loop.timeline.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    await loop.stop();
    const count = loop.timeline.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(loop.timeline.length, count, 'no tick after stop()');
  });
});

test('the backlog metric is the sum over queue types of one task queue, as the adapter serves it', () => {
  const text = [
    '# HELP orders_task_queue_backlog Approximate number of tasks waiting',
    '# TYPE orders_task_queue_backlog gauge',
    'orders_task_queue_backlog{task_queue="q1",type="workflow"} 12',
    'orders_task_queue_backlog{task_queue="q1",type="activity"} 5',
    'orders_task_queue_backlog{task_queue="q2",type="workflow"} 100',
    'orders_task_queue_tasks_add_rate{task_queue="q1",type="workflow"} 3.5',
  ].join('\n');
  assert.equal(backlogFromExposition(text, 'q1'), 17);
  assert.equal(backlogFromExposition(text, 'q2'), 100);
  assert.equal(backlogFromExposition(text, 'q3'), undefined);
  assert.equal(
    backlogFromExposition('orders_task_queue_backlog{type="activity",task_queue="q1"} 0', 'q1'),
    0,
  );
});
