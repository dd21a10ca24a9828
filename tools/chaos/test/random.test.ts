import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intBetween, seeded, shuffled } from '../src/random';

test('a seed gives the same numbers, within [0, 1)', () => {
  const a = seeded(5);
  const b = seeded(5);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(
    xs,
    Array.from({ length: 1000 }, () => b()),
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, seeded(6)));
});

test('intBetween covers both ends; shuffled keeps every item', () => {
  const random = seeded(1);
  const seen = new Set(Array.from({ length: 500 }, () => intBetween(random, 1, 3)));
  assert.deepEqual([...seen].sort(), [1, 2, 3]);
  assert.deepEqual(shuffled(random, [1, 2, 3, 4, 5]).sort(), [1, 2, 3, 4, 5]);
});
