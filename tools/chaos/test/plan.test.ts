// The schedule: every part killed once per round, one at a time, spread over the load, with
// fault windows and an SMTP outage; the default rate stretches the load over the schedule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KILLED_PARTS, defaultRate, planRun, sequenceBusyMs, type PlanOptions } from '../src/plan';
import { seeded } from '../src/random';

const base: Omit<PlanOptions, 'loadMs'> = {
  rounds: 1,
  faults: true,
  faultWindowMs: 45_000,
  smtpOutageMs: 60_000,
  downMs: 4_000,
  minGapMs: 5_000,
};
const duration = (e: { kind: string; estimateMs?: number; durationMs?: number }) =>
  e.kind === 'kill' ? e.estimateMs! : e.durationMs!;

test('one round kills every part exactly once and has one fault window and one outage', () => {
  const plan = planRun({ ...base, loadMs: 240_000 }, seeded(1));
  const kills = plan.sequence.flatMap((e) => (e.kind === 'kill' ? [e.part] : []));
  assert.deepEqual([...kills].sort(), [...KILLED_PARTS].sort());
  assert.equal(plan.sequence.filter((e) => e.kind === 'faults').length, 1);
  assert.equal(plan.outages.length, 1);
  assert.equal(plan.outages[0]?.kind, 'smtp-outage');
});

test('sequential events never overlap and keep the least gap between them', () => {
  for (const seed of [1, 2, 3, 42]) {
    const plan = planRun({ ...base, rounds: 2, loadMs: 500_000 }, seeded(seed));
    for (let i = 1; i < plan.sequence.length; i++) {
      const before = plan.sequence[i - 1]!;
      const next = plan.sequence[i]!;
      assert.ok(next.atMs >= before.atMs + duration(before) + base.minGapMs, `seed ${seed} event ${i}`);
    }
  }
});

test('events start after a lead-in, so the first one meets sagas in flight', () => {
  const plan = planRun({ ...base, loadMs: 240_000 }, seeded(7));
  assert.ok(plan.sequence[0]!.atMs >= 240_000 * 0.08);
  assert.ok(plan.outages[0]!.atMs >= 240_000 * 0.08);
});

test('with a load long enough, the schedule ends inside it', () => {
  const loadMs = sequenceBusyMs(base) / 0.8;
  const plan = planRun({ ...base, loadMs }, seeded(3));
  assert.ok(plan.endMs <= loadMs + 1, `${plan.endMs} within ${loadMs}`);
  const outage = plan.outages[0]!;
  assert.ok(outage.atMs + duration(outage) <= loadMs);
});

test('a load too short for the schedule still keeps the order and gaps (it runs past the load)', () => {
  const plan = planRun({ ...base, loadMs: 30_000 }, seeded(5));
  assert.equal(plan.sequence.length, KILLED_PARTS.length + 1);
  assert.ok(plan.endMs > 30_000);
});

test('no faults: no fault window', () => {
  const plan = planRun({ ...base, faults: false, loadMs: 240_000 }, seeded(1));
  assert.equal(plan.sequence.filter((e) => e.kind === 'faults').length, 0);
});

test('the same seed gives the same plan; another seed another order', () => {
  const a = planRun({ ...base, loadMs: 240_000 }, seeded(11));
  const b = planRun({ ...base, loadMs: 240_000 }, seeded(11));
  const c = planRun({ ...base, loadMs: 240_000 }, seeded(12));
  assert.deepEqual(a, b);
  assert.notDeepEqual(
    a.sequence.map((e) => e.kind + ('part' in e ? e.part : '')),
    c.sequence.map((e) => e.kind + ('part' in e ? e.part : '')),
  );
});

test('the default rate spreads the orders over the schedule, within what 2 cores carry', () => {
  const short = defaultRate(150, base);
  const loadSeconds = 150 / short;
  assert.ok(loadSeconds * 1000 >= sequenceBusyMs(base), `${loadSeconds} s covers the schedule`);
  assert.ok(loadSeconds < 400, 'the CI run stays a few minutes');
  assert.equal(defaultRate(100_000, base), 5);
  assert.equal(defaultRate(1, base), 0.2);
});
