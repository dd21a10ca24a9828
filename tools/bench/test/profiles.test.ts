import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { originOf, summarise, summariseRun, type CpuProfile } from '../src/profiles';

const frame = (id: number, functionName: string, url: string) => ({
  id,
  callFrame: { functionName, url, lineNumber: id },
});

// Four frames; samples 1 ms apart except where said: idle time is not busy time.
const profile: CpuProfile = {
  nodes: [
    frame(1, '(idle)', ''),
    frame(2, 'send', 'file:///r/node_modules/kafkajs/src/producer/index.js'),
    frame(3, 'runInContext', 'node:vm'),
    frame(4, 'orderSaga', 'file:///r/orchestrator/src/workflows/workflow-bundle-abc.js'),
    frame(5, '(garbage collector)', ''),
  ],
  samples: [1, 1, 2, 2, 2, 3, 4, 5],
  timeDeltas: [5000, 5000, 1000, 1000, 1000, 2000, 500, 500],
};

test('self time goes to the frame on top; idle is left out; the bundle marks the workflow thread', () => {
  const t = summarise('worker', 'CPU.1.cpuprofile', profile);
  assert.equal(t.busyMs, 6); // 3 + 2 + 0.5 + 0.5 ms; the 10 ms idle are not busy
  assert.equal(t.role, 'workflows');
  assert.deepEqual(t.top[0], { name: 'send', where: 'kafkajs', ms: 3 });
  assert.deepEqual(
    t.byPackage.map((p) => p.where),
    ['kafkajs', 'node', 'workflow bundle', '(garbage collector)'],
  );
});

test('a sample after a long gap counts as at most two intervals, not the gap', () => {
  const t = summarise('worker', 'CPU.1.0.1.cpuprofile', {
    nodes: profile.nodes,
    samples: [2, 2, 2, 3],
    timeDeltas: [1000, 1000, 1000, 50_000],
  });
  assert.equal(t.busyMs, 5); // 3 x 1 ms of send, then runInContext's 50 ms gap counted as 2 ms
  assert.deepEqual(t.top[0], { name: 'send', where: 'kafkajs', ms: 3 });
});

test('origins: the innermost package, Node, the project, V8', () => {
  assert.equal(originOf('file:///r/node_modules/@temporalio/worker/lib/x.js', 'f'), '@temporalio/worker');
  assert.equal(originOf('/r/node_modules/a/node_modules/b/index.js', 'f'), 'b');
  assert.equal(originOf('node:internal/async_hooks', 'f'), 'node');
  assert.equal(originOf('file:///r/services/order/src/app.ts', 'f'), 'services/order');
  assert.equal(originOf('', '(program)'), '(program)');
  assert.equal(originOf('', 'JSON.parse'), '(native)');
});

test('a run folder: one summary per profile file, heaviest first, named by its app folder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'profiles-'));
  for (const [app, deltas] of [
    ['order', [1000, 1000]],
    ['worker', [9000, 9000]],
  ] as const) {
    mkdirSync(path.join(dir, app));
    const p: CpuProfile = { nodes: [profile.nodes[1]!], samples: [2, 2], timeDeltas: [...deltas] };
    writeFileSync(path.join(dir, app, 'CPU.20261202.193831.4242.0.001.cpuprofile'), JSON.stringify(p));
  }
  writeFileSync(
    path.join(dir, 'worker', 'CPU.20261202.193831.4243.1.002.cpuprofile'),
    JSON.stringify(profile),
  );
  writeFileSync(path.join(dir, 'worker', 'notes.txt'), 'not a profile');
  const threads = summariseRun(dir);
  assert.deepEqual(
    threads.map((t) => [t.app, t.busyMs, t.role]),
    [
      ['worker', 18, 'main'],
      ['worker', 6, 'workflows'],
      ['order', 2, 'main'],
    ],
  );
});
