// The HPA rule case by case, against the numbers the Kubernetes controller would produce, and the
// chart's parameters as the chart itself renders them.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHART_VALUES, chartHpaSpec, readChartAutoscaling } from '../src/chart-values';
import {
  DEFAULT_BEHAVIOR,
  HorizontalAutoscaler,
  compressTime,
  externalAverageValueReplicas,
  withDefaults,
  type HpaSpec,
  type ScalingRules,
} from '../src/hpa';

const s = (seconds: number) => seconds * 1000;

/** A spec with chart-like bounds and the given rules; windows 0 unless a test sets them. */
function spec(
  overrides: { scaleUp?: Partial<ScalingRules>; scaleDown?: Partial<ScalingRules> } = {},
): HpaSpec {
  return {
    minReplicas: 2,
    maxReplicas: 20,
    targetAverageValue: 20,
    tolerance: 0.1,
    behavior: withDefaults({
      scaleUp: { stabilizationWindowSeconds: 0, ...overrides.scaleUp },
      scaleDown: { stabilizationWindowSeconds: 0, ...overrides.scaleDown },
    }),
  };
}

describe('the external AverageValue proposal', () => {
  test('asks for ceil(total / target per replica), whatever the current count', () => {
    assert.equal(externalAverageValueReplicas(1, 200, 20, 0.1), 10);
    assert.equal(externalAverageValueReplicas(4, 201, 20, 0.1), 11);
    assert.equal(externalAverageValueReplicas(10, 45, 20, 0.1), 3);
    assert.equal(externalAverageValueReplicas(3, 0, 20, 0.1), 0);
  });

  test('keeps the current count while the per-replica value is within the tolerance', () => {
    assert.equal(externalAverageValueReplicas(5, 105, 20, 0.1), 5, '+5 %');
    assert.equal(externalAverageValueReplicas(5, 95, 20, 0.1), 5, '-5 %');
    assert.equal(externalAverageValueReplicas(5, 100, 20, 0.1), 5, 'on target');
    assert.equal(externalAverageValueReplicas(5, 115, 20, 0.1), 6, '+15 % is outside');
    assert.equal(externalAverageValueReplicas(5, 85, 20, 0.1), 5, '-15 % rounds up to the same count');
    assert.equal(externalAverageValueReplicas(5, 70, 20, 0.1), 4, '-30 %');
    assert.equal(externalAverageValueReplicas(5, 105, 20, 0), 6, 'no tolerance');
  });

  test('from zero replicas any backlog asks for replicas and none asks for none', () => {
    assert.equal(externalAverageValueReplicas(0, 30, 20, 0.1), 2);
    assert.equal(externalAverageValueReplicas(0, 0, 20, 0.1), 0);
  });
});

describe('reconcile: bounds and a missing metric', () => {
  test('a count above max or below min goes to the bound whatever the metric says', () => {
    const hpa = new HorizontalAutoscaler(spec());
    assert.deepEqual(hpa.reconcile({ now: 0, currentReplicas: 25, metricTotal: 10_000 }), {
      currentReplicas: 25,
      proposal: null,
      stabilized: null,
      desiredReplicas: 20,
      reason: 'AboveMaxReplicas',
    });
    const low = hpa.reconcile({ now: 0, currentReplicas: 1, metricTotal: 0 });
    assert.equal(low.desiredReplicas, 2);
    assert.equal(low.reason, 'BelowMinReplicas');
  });

  test('an unreadable metric holds the current count', () => {
    const hpa = new HorizontalAutoscaler(spec());
    const decision = hpa.reconcile({ now: 0, currentReplicas: 4, metricTotal: undefined });
    assert.equal(decision.desiredReplicas, 4);
    assert.equal(decision.reason, 'MetricUnavailable');
    assert.equal(hpa.reconcile({ now: 0, currentReplicas: 4, metricTotal: Number.NaN }).desiredReplicas, 4);
  });

  test('the proposal is clamped to max and min', () => {
    const hpa = new HorizontalAutoscaler(
      spec({ scaleUp: { policies: [{ type: 'Pods', value: 100, periodSeconds: 15 }] } }),
    );
    const up = hpa.reconcile({ now: 0, currentReplicas: 2, metricTotal: 10_000 });
    assert.equal(up.proposal, 500);
    assert.equal(up.desiredReplicas, 20);
    assert.equal(up.reason, 'TooManyReplicas');
    const down = new HorizontalAutoscaler(spec()).reconcile({ now: 0, currentReplicas: 6, metricTotal: 0 });
    assert.equal(down.proposal, 0);
    assert.equal(down.desiredReplicas, 2);
    assert.equal(down.reason, 'TooFewReplicas');
  });

  test('rejects bounds and targets the API server would reject', () => {
    assert.throws(() => new HorizontalAutoscaler({ ...spec(), minReplicas: 0 }), /bounds/);
    assert.throws(() => new HorizontalAutoscaler({ ...spec(), maxReplicas: 1 }), /bounds/);
    assert.throws(() => new HorizontalAutoscaler({ ...spec(), targetAverageValue: 0 }), /target/);
  });
});

describe('reconcile: rate policies', () => {
  test('Max of Percent 100 and Pods 4 per 30 s: 2 -> 6 at once, then nothing more until the period ends', () => {
    const hpa = new HorizontalAutoscaler(
      spec({
        scaleUp: {
          policies: [
            { type: 'Percent', value: 100, periodSeconds: 30 },
            { type: 'Pods', value: 4, periodSeconds: 30 },
          ],
          selectPolicy: 'Max',
        },
      }),
    );
    const first = hpa.reconcile({ now: 0, currentReplicas: 2, metricTotal: 400 });
    assert.equal(first.proposal, 20);
    assert.equal(first.desiredReplicas, 6, 'Pods +4 beats Percent x2 at 2 replicas');
    assert.equal(first.reason, 'ScaleUpLimit');
    // Within the period the start count is still 2: nothing more is allowed yet.
    const held = hpa.reconcile({ now: s(15), currentReplicas: 6, metricTotal: 400 });
    assert.equal(held.desiredReplicas, 6);
    assert.equal(held.reason, 'ScaleUpLimit');
    // Once the first event leaves the period, x2 from 6 beats +4.
    assert.equal(hpa.reconcile({ now: s(31), currentReplicas: 6, metricTotal: 400 }).desiredReplicas, 12);
    assert.equal(hpa.reconcile({ now: s(62), currentReplicas: 12, metricTotal: 400 }).desiredReplicas, 20);
  });

  test('selectPolicy Min picks the policy allowing the smaller change', () => {
    const hpa = new HorizontalAutoscaler(
      spec({
        scaleUp: {
          policies: [
            { type: 'Percent', value: 100, periodSeconds: 30 },
            { type: 'Pods', value: 4, periodSeconds: 30 },
          ],
          selectPolicy: 'Min',
        },
      }),
    );
    assert.equal(hpa.reconcile({ now: 0, currentReplicas: 2, metricTotal: 400 }).desiredReplicas, 4);
  });

  test('a percentage is rounded up when scaling up and truncated when scaling down', () => {
    const up = new HorizontalAutoscaler({
      ...spec({ scaleUp: { policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } }),
      minReplicas: 1,
    });
    assert.equal(up.reconcile({ now: 0, currentReplicas: 3, metricTotal: 400 }).desiredReplicas, 4);
    const down = new HorizontalAutoscaler({
      ...spec({ scaleDown: { policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } }),
      minReplicas: 1,
    });
    assert.equal(down.reconcile({ now: 0, currentReplicas: 5, metricTotal: 0 }).desiredReplicas, 2);
  });

  test('scale down: Pods policy, and the period start counts the events inside the period', () => {
    const hpa = new HorizontalAutoscaler({
      ...spec({ scaleDown: { policies: [{ type: 'Pods', value: 3, periodSeconds: 60 }] } }),
      minReplicas: 1,
    });
    const first = hpa.reconcile({ now: 0, currentReplicas: 10, metricTotal: 0 });
    assert.equal(first.desiredReplicas, 7);
    assert.equal(first.reason, 'ScaleDownLimit');
    assert.equal(hpa.reconcile({ now: s(30), currentReplicas: 7, metricTotal: 0 }).desiredReplicas, 7);
    assert.equal(hpa.reconcile({ now: s(61), currentReplicas: 7, metricTotal: 0 }).desiredReplicas, 4);
    assert.equal(hpa.reconcile({ now: s(122), currentReplicas: 4, metricTotal: 0 }).desiredReplicas, 1);
  });

  test('a scale-up inside a scale-down period is undone in that period start count', () => {
    const hpa = new HorizontalAutoscaler({
      ...spec({
        scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
        scaleDown: { policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
      }),
      minReplicas: 1,
    });
    assert.equal(hpa.reconcile({ now: 0, currentReplicas: 4, metricTotal: 400 }).desiredReplicas, 8);
    // 20 s later the backlog is gone: the down period began before the scale-up, at 8 - 4 = 4
    // replicas, and 50 % of that is 2 (not 50 % of the current 8).
    const down = hpa.reconcile({ now: s(20), currentReplicas: 8, metricTotal: 0 });
    assert.equal(down.desiredReplicas, 2);
  });

  test('Disabled forbids scaling in that direction only', () => {
    const hpa = new HorizontalAutoscaler(spec({ scaleDown: { selectPolicy: 'Disabled' } }));
    const down = hpa.reconcile({ now: 0, currentReplicas: 8, metricTotal: 0 });
    assert.equal(down.desiredReplicas, 8);
    assert.equal(down.reason, 'ScaleDownLimit');
    assert.equal(hpa.reconcile({ now: s(1), currentReplicas: 8, metricTotal: 400 }).desiredReplicas, 16);
    const noUp = new HorizontalAutoscaler(spec({ scaleUp: { selectPolicy: 'Disabled' } }));
    assert.equal(noUp.reconcile({ now: 0, currentReplicas: 3, metricTotal: 400 }).desiredReplicas, 3);
  });

  test('the default behavior: up by max(x2, +4) per 15 s, down to the proposal at once', () => {
    const hpa = new HorizontalAutoscaler({
      ...spec(),
      behavior: withDefaults({ scaleDown: { stabilizationWindowSeconds: 0 } }),
    });
    assert.equal(hpa.reconcile({ now: 0, currentReplicas: 2, metricTotal: 1000 }).desiredReplicas, 6);
    assert.equal(hpa.reconcile({ now: s(16), currentReplicas: 6, metricTotal: 1000 }).desiredReplicas, 12);
    assert.equal(hpa.reconcile({ now: s(32), currentReplicas: 12, metricTotal: 50 }).desiredReplicas, 3);
  });
});

describe('reconcile: stabilisation windows', () => {
  test('scale down takes the highest proposal of the window', () => {
    const hpa = new HorizontalAutoscaler(
      spec({
        scaleDown: {
          stabilizationWindowSeconds: 300,
          policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        },
      }),
    );
    assert.equal(hpa.reconcile({ now: 0, currentReplicas: 10, metricTotal: 200 }).desiredReplicas, 10);
    const held = hpa.reconcile({ now: s(60), currentReplicas: 10, metricTotal: 40 });
    assert.equal(held.proposal, 2);
    assert.equal(held.stabilized, 10);
    assert.equal(held.desiredReplicas, 10);
    assert.equal(held.reason, 'ScaleDownStabilized');
    // A lower but still raised proposal, then the first one leaves the window.
    assert.equal(hpa.reconcile({ now: s(200), currentReplicas: 10, metricTotal: 120 }).desiredReplicas, 10);
    assert.equal(hpa.reconcile({ now: s(301), currentReplicas: 10, metricTotal: 40 }).desiredReplicas, 6);
    assert.equal(hpa.reconcile({ now: s(501), currentReplicas: 6, metricTotal: 40 }).desiredReplicas, 2);
  });

  test('scale up takes the lowest proposal of the window: a spike must last', () => {
    const hpa = new HorizontalAutoscaler(spec({ scaleUp: { stabilizationWindowSeconds: 60 } }));
    hpa.reconcile({ now: 0, currentReplicas: 2, metricTotal: 40 });
    const spike = hpa.reconcile({ now: s(15), currentReplicas: 2, metricTotal: 400 });
    assert.equal(spike.proposal, 20);
    assert.equal(spike.desiredReplicas, 2);
    assert.equal(spike.reason, 'ScaleUpStabilized');
    // Still inside the window of the calm sample.
    assert.equal(hpa.reconcile({ now: s(45), currentReplicas: 2, metricTotal: 400 }).desiredReplicas, 2);
    // The calm sample has aged out: the lowest recent proposal is 20, capped by the policies.
    assert.equal(hpa.reconcile({ now: s(61), currentReplicas: 2, metricTotal: 400 }).desiredReplicas, 6);
  });

  test('a count already between the two limits stays', () => {
    const hpa = new HorizontalAutoscaler(
      spec({ scaleUp: { stabilizationWindowSeconds: 60 }, scaleDown: { stabilizationWindowSeconds: 60 } }),
    );
    hpa.reconcile({ now: 0, currentReplicas: 5, metricTotal: 40 });
    hpa.reconcile({ now: s(10), currentReplicas: 5, metricTotal: 400 });
    // Proposals 2 and 20 in both windows: up limit 2, down limit 20; 5 lies between.
    const decision = hpa.reconcile({ now: s(20), currentReplicas: 5, metricTotal: 200 });
    assert.equal(decision.desiredReplicas, 5);
  });

  test('within the tolerance nothing moves and no scale event is recorded', () => {
    const hpa = new HorizontalAutoscaler(
      spec({ scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } }),
    );
    assert.equal(hpa.reconcile({ now: 0, currentReplicas: 5, metricTotal: 104 }).desiredReplicas, 5);
    // Had a scale event been stored above, this +1 would be refused inside the period.
    assert.equal(hpa.reconcile({ now: s(1), currentReplicas: 5, metricTotal: 400 }).desiredReplicas, 6);
  });
});

describe('the chart parameters', () => {
  test('are read from values.yaml and rendered as the HPA from the same keys', () => {
    const chart = readChartAutoscaling();
    assert.equal(chart.enabled, true);
    const hpa = chartHpaSpec();
    assert.equal(hpa.minReplicas, chart.minReplicas);
    assert.equal(hpa.maxReplicas, chart.maxReplicas);
    assert.equal(hpa.targetAverageValue, chart.targetBacklogPerPod);
    assert.equal(hpa.tolerance, 0.1);
    assert.ok(hpa.minReplicas >= 1 && hpa.maxReplicas >= hpa.minReplicas);
    for (const rules of [hpa.behavior.scaleUp, hpa.behavior.scaleDown]) assert.ok(rules.policies.length > 0);

    const template = readFileSync(
      fileURLToPath(
        new URL('../../../deploy/helm/order-platform/templates/worker-hpa.yaml', import.meta.url),
      ),
      'utf8',
    );
    assert.match(template, /minReplicas: \{\{ \.Values\.autoscaling\.minReplicas \}\}/);
    assert.match(template, /maxReplicas: \{\{ \.Values\.autoscaling\.maxReplicas \}\}/);
    assert.match(template, /type: External/);
    assert.match(
      template,
      /type: AverageValue\s+averageValue: \{\{ \.Values\.autoscaling\.targetBacklogPerPod/,
    );
    assert.match(template, /with \.Values\.autoscaling\.behavior \}\}\s+behavior:/);
  });

  test('omitted behavior fields take the API defaults; a malformed file is refused', () => {
    assert.deepEqual(withDefaults({}), DEFAULT_BEHAVIOR);
    const partial = withDefaults({ scaleDown: { selectPolicy: 'Min' } });
    assert.equal(partial.scaleDown.selectPolicy, 'Min');
    assert.equal(partial.scaleDown.stabilizationWindowSeconds, 300);
    assert.deepEqual(partial.scaleUp, DEFAULT_BEHAVIOR.scaleUp);
    const bad = path.join(mkdtempSync(path.join(tmpdir(), 'hpa-values-')), 'values.yaml');
    writeFileSync(bad, 'autoscaling:\n  enabled: true\n  minReplicas: 0\n  maxReplicas: 3\n');
    assert.throws(() => readChartAutoscaling(bad), /autoscaling: .*minReplicas/s);
    assert.ok(CHART_VALUES.endsWith('values.yaml'));
  });

  test('the chart behavior, replayed: a burst scales up at once, then steps down after the window', () => {
    const chart = chartHpaSpec();
    const hpa = new HorizontalAutoscaler(chart);
    const perPod = chart.targetAverageValue;
    let replicas = chart.minReplicas;
    const seen: number[] = [];
    // 15 s syncs: a backlog of 40 targets' worth for two minutes, then nothing for fifteen.
    for (let t = 0; t <= 17 * 60; t += 15) {
      const backlog = t < 120 ? 40 * perPod : 0;
      replicas = hpa.reconcile({
        now: s(t),
        currentReplicas: replicas,
        metricTotal: backlog,
      }).desiredReplicas;
      seen.push(replicas);
    }
    assert.equal(Math.max(...seen), chart.maxReplicas, 'reaches max under a backlog of 40 targets');
    assert.equal(seen.at(-1), chart.minReplicas, 'back at min once the window and policies allow');
    const firstDrop = seen.findIndex((r, i) => i > 0 && r < (seen[i - 1] ?? r));
    const lastBusy = 120 / 15;
    assert.ok(
      (firstDrop - lastBusy) * 15 >= chart.behavior.scaleDown.stabilizationWindowSeconds - 15,
      `no scale-down inside the down window (first drop at sample ${firstDrop})`,
    );
  });

  test('compressTime shortens every window and period, nothing else', () => {
    const chart = chartHpaSpec();
    const fast = compressTime(chart, 0.1);
    assert.equal(fast.targetAverageValue, chart.targetAverageValue);
    assert.equal(
      fast.behavior.scaleDown.stabilizationWindowSeconds,
      chart.behavior.scaleDown.stabilizationWindowSeconds * 0.1,
    );
    assert.deepEqual(
      fast.behavior.scaleUp.policies.map((p) => p.periodSeconds),
      chart.behavior.scaleUp.policies.map((p) => p.periodSeconds * 0.1),
    );
  });
});
