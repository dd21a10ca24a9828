// Down time and recovery time of one kill, from the times sagas moved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recoveryOf } from '../src/recovery';

const times = { killedAtMs: 10_000, restartAtMs: 14_000, readyAtMs: 19_500 };

test('recovery is restart to the first move after it; down is kill to ready', () => {
  const r = recoveryOf(times, [9_000, 21_300, 15_250, 30_000]);
  assert.equal(r.downSeconds, 9.5);
  assert.equal(r.recoverySeconds, 1.3);
  assert.equal(r.movesWhileDown, 0);
});

test('moves while the part was down are counted, not taken for recovery', () => {
  const r = recoveryOf(times, [11_000, 12_000, 14_500]);
  assert.equal(r.movesWhileDown, 2);
  assert.equal(r.recoverySeconds, 0.5);
});

test('no move after the restart (or only after the next kill) is no recovery figure', () => {
  assert.equal(recoveryOf(times, [1_000, 11_000]).recoverySeconds, null);
  assert.equal(recoveryOf(times, [40_000], 35_000).recoverySeconds, null);
  assert.equal(recoveryOf(times, [34_000], 35_000).recoverySeconds, 20);
});

test('a move exactly at the restart counts as immediate recovery', () => {
  assert.equal(recoveryOf(times, [14_000]).recoverySeconds, 0);
});
