// Percentiles and per-second buckets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketize, summarize } from '../src/stats';

test('percentiles from the histogram: exact below 204.8 ms, within 0.1 % above', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms
  assert.deepEqual(summarize(values), { count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  assert.deepEqual(summarize([7]), { count: 1, p50: 7, p95: 7, p99: 7, max: 7 });
  assert.equal(summarize([1, 2, 3, 4]).p50, 2);
  assert.equal(summarize([0.25, 0.5]).p50, 0.3, 'tenths of a millisecond');
  const slow = summarize(Array.from({ length: 1000 }, (_, i) => 1000 + i)); // 1000..1999 ms
  assert.ok(Math.abs(slow.p99 - 1989) <= 1989 * 0.001, `p99 ${slow.p99}`);
  assert.equal(slow.max, 1999, 'the maximum is exact');
  const empty = summarize([]);
  assert.equal(empty.count, 0);
  assert.ok(Number.isNaN(empty.p50));
});

test('summarize leaves its input untouched', () => {
  const input = [30, 10, 20];
  assert.deepEqual(summarize(input), { count: 3, p50: 20, p95: 30, p99: 30, max: 30 });
  assert.deepEqual(input, [30, 10, 20]);
});

test('buckets count by second and take each second own p99', () => {
  const buckets = bucketize({
    startMs: 1_000,
    endMs: 3_500,
    accepted: [
      { atMs: 1_000, valueMs: 5 },
      { atMs: 1_999, valueMs: 7 },
      { atMs: 2_000, valueMs: 9 },
      { atMs: 9_000, valueMs: 1 }, // after the end: ignored
    ],
    completed: [{ atMs: 3_400, valueMs: 800 }],
    offeredAt: (t) => (t < 2 ? 2 : 0),
  });
  assert.equal(buckets.length, 3);
  assert.deepEqual(
    buckets.map((b) => [b.t, b.offered, b.accepted, b.completed]),
    [
      [0, 2, 2, 0],
      [1, 2, 1, 0],
      [2, 0, 0, 1],
    ],
  );
  assert.equal(buckets[0]!.placeP99Ms, 7);
  assert.ok(Math.abs(buckets[2]!.completionP99Ms - 800) <= 0.8);
  assert.ok(Number.isNaN(buckets[0]!.completionP99Ms));
});
