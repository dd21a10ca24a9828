// Percentiles and per-second buckets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketize, percentile, summarize } from '../src/stats';

test('nearest-rank percentiles', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 95), 95);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.equal(percentile([1, 2, 3, 4], 50), 2);
  assert.equal(percentile([1, 2, 3, 4], 51), 3);
});

test('summarize sorts its input and leaves it untouched', () => {
  const input = [30, 10, 20];
  assert.deepEqual(summarize(input), { count: 3, p50: 20, p95: 30, p99: 30, max: 30 });
  assert.deepEqual(input, [30, 10, 20]);
  assert.equal(summarize([]).count, 0);
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
  assert.equal(buckets[2]!.completionP99Ms, 800);
  assert.ok(Number.isNaN(buckets[0]!.completionP99Ms));
});
