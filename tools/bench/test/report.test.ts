import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuPerSaga } from '../src/report';

test('CPU per saga sums the system, leaves the load generator out, and splits by process', () => {
  const figures = cpuPerSaga(
    { worker: 40, temporal: 30, kafka: 10, order: 4, vegeta: 2, 'bench driver': 3 },
    { completed: 380, failed: 15, cancelled: 5, open: 0 },
  );
  assert.equal(figures.sagas, 400);
  assert.equal(figures.totalMs, 210); // (40 + 30 + 10 + 4) s / 400 sagas
  assert.deepEqual(figures.byProcessMs, { worker: 100, temporal: 75, kafka: 25, order: 10 });
});

test('no saga ended: no figure rather than a division by zero', () => {
  const figures = cpuPerSaga({ worker: 1 }, { completed: 0, failed: 0, cancelled: 0, open: 3 });
  assert.ok(Number.isNaN(figures.totalMs));
});
