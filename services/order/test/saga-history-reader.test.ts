// The timeline's reading of saga histories, on the histories recorded from real runs
// (orchestrator/test/histories): steps, compensations, events and support requests as they happened.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { readSagaHistory, type HistoryEvent } from '../src/domain/saga-history-reader';

const recorded = (name: string): HistoryEvent[] =>
  historyFromJSON(
    JSON.parse(
      readFileSync(new URL(`../../../orchestrator/test/histories/${name}.json`, import.meta.url), 'utf8'),
    ),
  ).events ?? [];

const summary = (facts: ReturnType<typeof readSagaHistory>) =>
  facts.activities.map((a) => `${a.kind}:${a.activity}:${a.outcome}`);

// The current shape (events ride with the steps, capture pins first) and the one before it
// (an activity per event, a pin activity of its own): sagas of both may still be open.
for (const [history, steps] of [
  ['completed', ['validate', 'reserve', 'authorize', 'create', 'capture', 'commit']],
  ['v7-completed', ['validate', 'reserve', 'authorize', 'create', 'capture', 'commit']],
  ['v5-completed', ['validate', 'reserve', 'authorize', 'create', 'capture', 'capture', 'commit']],
] as const)
  test(`a completed saga (${history}): every forward step completed in order, its events published, no compensation`, () => {
    completedSaga(history, steps);
  });

function completedSaga(history: string, forward: readonly string[]) {
  const facts = readSagaHistory(recorded(history));
  const steps = facts.activities.filter((a) => a.kind === 'step');
  assert.deepEqual(
    steps.map((s) => s.step),
    forward,
  );
  for (const s of steps) {
    assert.equal(s.outcome, 'completed', `${s.activity}: ${JSON.stringify(s)}`);
    assert.ok(s.startedAt && s.endedAt && s.startedAt <= s.endedAt, s.activity);
    assert.ok(s.attempts >= 1);
  }
  assert.equal(facts.activities.filter((a) => a.kind === 'compensation').length, 0);
  assert.deepEqual(
    facts.events.map((e) => e.type),
    ['OrderPlaced', 'OrderConfirmed', 'PaymentCaptured', 'OrderCompleted'],
  );
  for (const e of facts.events) {
    assert.equal(e.status, 'published', e.eventId);
    assert.match(e.eventId, /^[0-9a-f-]{36}:\d+$/);
  }
  assert.deepEqual(facts.supportActions, []);
  assert.ok(facts.startedAt);
}

test('a saga failed at capture: the failed step with its reason, then each undo newest first', () => {
  const facts = readSagaHistory(recorded('failed-at-capture'));
  const failed = facts.activities.find((a) => a.outcome === 'failed');
  assert.equal(failed?.step, 'capture', summary(facts).join('\n'));
  assert.ok(failed?.failure, 'the failure says why');
  const undos = facts.activities.filter((a) => a.kind === 'compensation');
  assert.deepEqual(
    undos.map((u) => u.activity),
    ['refundPayment', 'cancelOrderRecord', 'voidPayment', 'releaseReservation'],
  );
  assert.ok(undos.every((u) => u.outcome === 'completed'));
  assert.ok(facts.events.some((e) => e.type === 'OrderFailed'));
});

test('refunds in the open window: each support request with its actor, reason, amount and outcome', () => {
  const facts = readSagaHistory(recorded('refunded-twice-open-window'));
  const refunds = facts.supportActions.filter((a) => a.action === 'refund');
  assert.equal(refunds.length, 2, JSON.stringify(facts.supportActions));
  for (const r of refunds) {
    assert.ok(r.actor.length > 0 && r.reason.length > 0 && r.refundId);
    assert.ok((r.amount ?? 0) > 0);
    assert.equal(r.outcome, 'done', JSON.stringify(r));
  }
  assert.equal(facts.activities.filter((a) => a.activity === 'issueRefund').length, 2);
  assert.equal(facts.events.filter((e) => e.type === 'OrderRefunded').length, 2);
});

test('a cancel after completion: the request, the refund of what was captured, OrderCancelled', () => {
  const facts = readSagaHistory(recorded('cancelled-after-completion'));
  const [cancel] = facts.supportActions;
  assert.equal(cancel?.action, 'cancel', JSON.stringify(facts.supportActions));
  assert.ok(cancel?.actor && cancel.reason);
  assert.ok(
    facts.activities.some((a) => a.kind === 'compensation' && a.activity === 'refundPayment'),
    summary(facts).join('\n'),
  );
  assert.equal(facts.events.at(-1)?.type, 'OrderCancelled');
});

test('a retrying activity of an open run shows its attempts and last failure', () => {
  const events = recorded('completed');
  // The run as it looked while the capture was still being retried: cut after its scheduling.
  const scheduledAt = events.findIndex(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'captureHeldPayment',
  );
  const open = events.slice(0, scheduledAt + 1);
  const activityId = open.at(-1)?.activityTaskScheduledEventAttributes?.activityId ?? '';
  const facts = readSagaHistory(open, [
    { activityId, attempt: 3, state: 1, lastFailure: 'payment answered 503', lastStartedAt: null },
  ]);
  const capture = facts.activities.at(-1);
  assert.deepEqual(
    [capture?.activity, capture?.outcome, capture?.attempts, capture?.failure],
    ['captureHeldPayment', 'retrying', 3, 'payment answered 503'],
  );
});

test('a step run as a local activity (commit) failed: read from its marker, with its reason and times', () => {
  const facts = readSagaHistory(recorded('failed-at-commit'));
  const failed = facts.activities.find((a) => a.outcome === 'failed');
  assert.deepEqual(
    [failed?.activity, failed?.step],
    ['commitReservation', 'commit'],
    summary(facts).join('\n'),
  );
  assert.ok(failed?.failure, 'the failure says why');
  assert.ok(failed?.scheduledAt && failed.endedAt && failed.scheduledAt <= failed.endedAt);
  // Its carried PaymentCaptured is re-published by an activity of its own once the step failed.
  assert.deepEqual(
    facts.events.map((e) => `${e.type}:${e.status}`),
    [
      'OrderPlaced:published',
      'OrderConfirmed:published',
      'PaymentCaptured:published',
      'OrderFailed:published',
    ],
  );
  assert.deepEqual(
    facts.activities.filter((a) => a.kind === 'compensation').map((a) => a.activity),
    ['returnStock', 'refundPayment', 'cancelOrderRecord', 'voidPayment', 'releaseReservation'],
  );
});
