// Rule matching alone (no HTTP): which rule a request takes, what counts as a hit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Faults } from '../src/faults';

/** A fixed sequence of "random" numbers, repeated. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

test('an operation-less rule matches every operation; an operation rule only its own', () => {
  const faults = new Faults();
  faults.add({ operation: 'refund', mode: 'error', times: 10 });
  faults.add({ mode: 'in_use', times: 10 });
  assert.equal(faults.take(['capture'], 'o1', false)?.mode, 'in_use');
  assert.equal(faults.take(['refund'], 'o1', false)?.mode, 'error');
  assert.equal(faults.take(['create', 'confirm'], 'o1', true)?.mode, 'in_use');
});

test('orderId narrows a rule to one order; times bounds its hits', () => {
  const faults = new Faults();
  const rule = faults.add({ operation: 'capture', orderId: 'a', mode: 'reset', times: 2 });
  assert.equal(faults.take(['capture'], 'b', false), undefined);
  assert.equal(faults.take(['capture'], undefined, false), undefined);
  assert.equal(faults.take(['capture'], 'a', false)?.id, rule.id);
  assert.equal(faults.take(['capture'], 'a', false)?.id, rule.id);
  assert.equal(faults.take(['capture'], 'a', false), undefined);
  assert.equal(faults.list()[0]?.hits, 2);
  assert.equal(faults.injected, 2);
});

test('a rule that its probability spares is not counted, and a later rule may apply', () => {
  const faults = new Faults(undefined, 0, sequence(0.7, 0.2));
  const sometimes = faults.add({ mode: 'rate_limit', probability: 0.5, times: 100 });
  faults.add({ mode: 'delay', times: 100 });
  assert.equal(faults.take(['refund'], 'o', false)?.mode, 'delay'); // 0.7 spares it
  assert.equal(faults.take(['refund'], 'o', false)?.mode, 'rate_limit'); // 0.2 fires
  const [first] = faults.list();
  assert.equal(first?.id, sometimes.id);
  assert.equal(first?.hits, 1);
});

test('probability defaults to 1 and times to 1; delay defaults to 1000 ms', () => {
  const faults = new Faults(undefined, 0, () => 0.999_999);
  const rule = faults.add({ mode: 'delay' });
  assert.deepEqual([rule.probability, rule.times, rule.delayMs], [1, 1, 1000]);
  assert.equal(faults.take(['cancel'], undefined, false)?.id, rule.id);
  assert.equal(faults.take(['cancel'], undefined, false), undefined);
});

test('decline rules skip requests that cannot decline; an operation-less decline is allowed', () => {
  const faults = new Faults();
  faults.add({ mode: 'decline', times: 5 });
  assert.equal(faults.take(['create'], 'o', false), undefined);
  assert.equal(faults.take(['capture'], 'o', false), undefined);
  assert.equal(faults.take(['create', 'confirm'], 'o', true)?.mode, 'decline');
  assert.equal(faults.validate({ operation: 'capture', mode: 'decline' }).success, false);
  assert.equal(faults.validate({ mode: 'decline' }).success, true);
});

test('validation names the bad fields', () => {
  const faults = new Faults();
  const bad = faults.validate({ operation: 'teleport', mode: 'error', probability: 2 });
  assert.equal(bad.success, false);
  if (!bad.success) {
    assert.match(bad.error, /operation/);
    assert.match(bad.error, /probability/);
  }
  for (const mode of ['rate_limit', 'in_use', 'reset', 'reset_after_effect', 'error_after_effect'])
    assert.equal(faults.validate({ mode, times: 1_000_000 }).success, true, mode);
});
