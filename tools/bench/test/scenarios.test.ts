// The scenario file as the bench reads it, and how scenarios become vegeta steps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  expandSteps,
  expectedCounts,
  loadScenarioFile,
  mixOf,
  parseDuration,
  type Scenario,
} from '../src/scenarios';

test('k6 durations become milliseconds', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('1.5s'), 1_500);
  assert.throws(() => parseDuration('30'), /duration/);
  assert.throws(() => parseDuration('soon'), /duration/);
});

test('the shared scenario file parses, with the four scenarios the bench offers', () => {
  const file = loadScenarioFile();
  for (const name of ['steady', 'ramp', 'spike', 'mixed']) assert.ok(file.scenarios[name], name);
  assert.ok(file.catalogue.length > 0);
});

const ramping: Scenario = {
  executor: 'ramping-arrival-rate',
  startRate: 2,
  stages: [
    { target: 5, duration: '20s' },
    { target: 10, duration: '20s' },
    { target: 0, duration: '1s' },
  ],
  description: 'ramp',
  preAllocatedVUs: 1,
  maxVUs: 1,
  mix: { place: 1 },
  thresholds: {},
};

test('a ramping scenario becomes one constant-rate step per stage, a zero target a pause', () => {
  assert.deepEqual(expandSteps(ramping), [
    { rate: 5, durationMs: 20_000 },
    { rate: 10, durationMs: 20_000 },
    { rate: 0, durationMs: 1_000 },
  ]);
});

test('--rate scales a ramp to its peak and --duration sets each stage', () => {
  assert.deepEqual(expandSteps(ramping, { rate: 4, durationMs: 5_000 }), [
    { rate: 2, durationMs: 5_000 },
    { rate: 4, durationMs: 5_000 },
    { rate: 0, durationMs: 5_000 },
  ]);
});

test('a constant scenario is one step, which the overrides replace', () => {
  const steady: Scenario = {
    ...ramping,
    executor: 'constant-arrival-rate',
    rate: 5,
    duration: '60s',
  };
  assert.deepEqual(expandSteps(steady), [{ rate: 5, durationMs: 60_000 }]);
  assert.deepEqual(expandSteps(steady, { rate: 3, durationMs: 10_000 }), [{ rate: 3, durationMs: 10_000 }]);
});

test('expected counts split the requests by the mix', () => {
  const counts = expectedCounts([{ rate: 10, durationMs: 60_000 }], {
    place: 0.5,
    follow: 0.3,
    cancel: 0.1,
    refund: 0.1,
  });
  assert.deepEqual(counts, { place: 300, follow: 180, cancel: 60, refund: 60 });
});

test('a mix that leaves actions out gives them no share', () => {
  assert.deepEqual(mixOf(ramping), { place: 1, follow: 0, cancel: 0, refund: 0 });
});
