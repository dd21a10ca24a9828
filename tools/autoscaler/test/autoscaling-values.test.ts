// The pure parts of the control-plane run: the chart's scaling behaviour shortened for a short
// run, the quantities the metrics API writes, and the transcript's compaction.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoAutoscaling } from '../src/demo-values';
import { compact, parseQuantity, type Sample } from '../src/transcript';

test("a short run keeps the chart's policies and select rules, with shorter windows and periods", () => {
  const values = demoAutoscaling({
    minReplicas: 1,
    maxReplicas: 3,
    targetBacklogPerPod: 3,
    downWindowSeconds: 15,
    periodSeconds: 10,
  });
  assert.deepEqual(values, {
    minReplicas: 1,
    maxReplicas: 3,
    targetBacklogPerPod: 3,
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 10 },
          { type: 'Pods', value: 4, periodSeconds: 10 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 15,
        selectPolicy: 'Min',
        policies: [{ type: 'Percent', value: 50, periodSeconds: 10 }],
      },
    },
  });
});

test('quantities of the metrics API', () => {
  assert.equal(parseQuantity('12'), 12);
  assert.equal(parseQuantity('1500m'), 1.5);
  assert.equal(parseQuantity('2k'), 2000);
  assert.throws(() => parseQuantity('12Gi'), /not a quantity/);
});

test('the transcript keeps the rows where something changed, and the last', () => {
  const s = (t: number, backlog: number, replicas: number): Sample => ({
    t,
    backlog,
    desired: replicas,
    replicas,
    pods: replicas,
    processes: replicas,
    placed: 0,
    done: 0,
  });
  const rows = [s(0, 0, 1), s(1, 0, 1), s(2, 9, 1), s(3, 9, 3), s(4, 9, 3), s(5, 9, 3)];
  assert.deepEqual(
    compact(rows).map((r) => r.t),
    [0, 2, 3, 5],
  );
});
