// The saga's control flow on the real Temporal server, with recording activities: step order,
// compensations pushed before each call and unwound newest first, events in sequence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Activities } from '../src/activities';
import { cancelUpdate, getStateQuery, refundUpdate, type OrderSagaState } from '../src/shared';
import type { FakeActivityOptions } from './support/fake-activities';
import { sagaInput } from './support/saga-input';
import { sagaTestEnv } from './support/saga-test-env';
import { localActivityAttempt } from '../src/history/local-activity-marker';

const env = sagaTestEnv();
const input = sagaInput;

function runSaga(options: FakeActivityOptions) {
  return env.withSaga(options, async (handle, { calls, events }) => {
    const result = await handle.result();
    const state = await handle.query(getStateQuery);
    return { result, state, calls, events };
  });
}

/** The activities the saga called, in order, without event publishing (its own or a step's). */
const names = (calls: { name: keyof Activities; detail?: string }[]): string[] =>
  calls.filter((c) => c.name !== 'publishEvent' && !c.detail?.startsWith('announced')).map((c) => c.name);

test('the happy path runs every step in order and publishes four events in sequence', async () => {
  const { result, state, calls, events } = await runSaga({});
  assert.equal(result.status, 'COMPLETED');
  assert.deepEqual(names(calls), [
    'validateOrder',
    'reserveStock',
    'authorizePayment',
    'confirmOrder',
    'pinReservation',
    'capturePayment',
    'commitReservation',
    'recordOutcome',
  ]);
  assert.deepEqual(events, ['1:OrderPlaced', '2:OrderConfirmed', '3:PaymentCaptured', '4:OrderCompleted']);
  assert.deepEqual(state.stepsCompleted, ['validate', 'reserve', 'authorize', 'create', 'capture', 'commit']);
  assert.deepEqual(state.compensations, []);
  assert.equal(state.amounts.captured, 2500);
});

test('a new saga records one patch marker, not one per versioned change', async () => {
  const markers = await env.withSaga({}, async (handle) => {
    await handle.result();
    const { events } = await handle.fetchHistory();
    return (events ?? []).flatMap((e) => {
      const payload = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0];
      return payload ? [defaultPayloadConverter.fromPayload<{ id: string }>(payload).id] : [];
    });
  });
  // Each marker costs the server a visibility write (its TemporalChangeVersion upsert), and a new
  // change versioned with a bare patched() would add one for every saga: see saga-shape.ts.
  assert.deepEqual(markers, ['internal-steps-run-local']);
});

test('validate, commit and the outcome run as local activities; reserve, the Stripe steps and create stay tasks', async () => {
  const { tasks, local } = await env.withSaga({}, async (handle) => {
    await handle.result();
    const { events } = await handle.fetchHistory();
    const tasks: string[] = [];
    const local: string[] = [];
    for (const e of events ?? []) {
      const scheduled = e.activityTaskScheduledEventAttributes?.activityType?.name;
      if (scheduled) tasks.push(scheduled);
      const attempt = localActivityAttempt(e.markerRecordedEventAttributes);
      if (attempt) local.push(attempt.activityType);
    }
    return { tasks, local };
  });
  // A cancel request reaches a saga only between workflow tasks: each step before which one must
  // be seen is a task of its own (activity-proxies.ts).
  assert.deepEqual(tasks, ['reserveStock', 'authorizePayment', 'confirmOrder', 'captureHeldPayment']);
  assert.deepEqual(local, ['validateOrder', 'commitReservation', 'recordOutcome']);
});

test('each forward event rides with the next step: no activity of its own, published before that step', async () => {
  const { result, calls, events } = await runSaga({});
  assert.equal(result.status, 'COMPLETED');
  // The final event leaves with recordOutcome ('out' below); no publishEvent activity ran.
  const publishActivities = calls.filter((c) => c.name === 'publishEvent' && !c.detail?.startsWith('out'));
  assert.deepEqual(publishActivities, [], JSON.stringify(calls));
  assert.deepEqual(
    calls.filter((c) => c.detail?.startsWith('announced')).map((c) => `${c.name} ${c.detail}`),
    [
      'validateOrder announced 1:OrderPlaced',
      'pinReservation announced 2:OrderConfirmed',
      'commitReservation announced 3:PaymentCaptured',
    ],
  );
  assert.deepEqual(events, ['1:OrderPlaced', '2:OrderConfirmed', '3:PaymentCaptured', '4:OrderCompleted']);
});

test('events Kafka did not take in time are published on their own, and still leave in sequence', async () => {
  const { result, calls, events } = await runSaga({
    unannounced: ['validateOrder', 'pinReservation'],
    publishDelayMs: 300,
  });
  assert.equal(result.status, 'COMPLETED');
  assert.deepEqual(events, ['1:OrderPlaced', '2:OrderConfirmed', '3:PaymentCaptured', '4:OrderCompleted']);
  const at = (name: string, detail?: string) =>
    calls.findIndex((c) => c.name === name && (detail === undefined || c.detail === detail));
  // Handed back, they leave in activities of their own once their step has answered; whatever
  // rode with a later step or left on its own, `events` above shows they kept their sequence.
  assert.ok(at('publishEvent', '1:OrderPlaced') > at('validateOrder'), JSON.stringify(calls));
  assert.ok(at('publishEvent', '2:OrderConfirmed') > at('pinReservation'), JSON.stringify(calls));
});

const cases: { failAt: keyof Activities; step: string; undo: string[] }[] = [
  { failAt: 'validateOrder', step: 'validate', undo: [] },
  // A step's own undo runs too: it was pushed before the call, in case the call took effect.
  { failAt: 'reserveStock', step: 'reserve', undo: ['releaseReservation'] },
  { failAt: 'authorizePayment', step: 'authorize', undo: ['voidPayment', 'releaseReservation'] },
  {
    failAt: 'confirmOrder',
    step: 'create',
    undo: ['cancelOrderRecord', 'voidPayment', 'releaseReservation'],
  },
  // No capture after an expired hold: pinning it comes first, within the capture step.
  {
    failAt: 'pinReservation',
    step: 'capture',
    undo: ['refundPayment', 'cancelOrderRecord', 'voidPayment', 'releaseReservation'],
  },
  {
    failAt: 'capturePayment',
    step: 'capture',
    undo: ['refundPayment', 'cancelOrderRecord', 'voidPayment', 'releaseReservation'],
  },
  {
    failAt: 'commitReservation',
    step: 'commit',
    undo: ['returnStock', 'refundPayment', 'cancelOrderRecord', 'voidPayment', 'releaseReservation'],
  },
];

for (const { failAt, step, undo } of cases) {
  test(`a rejection at ${step} unwinds ${undo.length ? undo.join(' -> ') : 'nothing'} and fails the order`, async () => {
    const { result, state, calls, events } = await runSaga({ failAt });
    assert.equal(result.status, 'FAILED');
    assert.deepEqual(result.failure, {
      step,
      code: `${failAt.toUpperCase()}_REJECTED`,
      reason: `${failAt} rejected by the test`,
    });
    const sequence = names(calls);
    const failedAt = sequence.indexOf(failAt);
    assert.deepEqual(sequence.slice(failedAt + 1), [...undo, 'recordOutcome']);
    assert.deepEqual(result.compensations, undo);
    assert.ok(state.compensations.every((c) => c.status === 'done'));
    assert.match(events.at(-1) ?? '', /:OrderFailed$/);
    // An event the failed step carried is re-sent (out or not was unknown): consumers drop the
    // copy by id, so what they see is each id once, in sequence.
    const seen = [...new Set(events)];
    assert.deepEqual(
      seen.map((e) => Number(e.split(':')[0])),
      seen.map((_, i) => i + 1),
    );
  });
}

test('a compensation that keeps failing is retried until it succeeds', async () => {
  const { result, calls } = await runSaga({
    failAt: 'capturePayment',
    flakyCompensation: { name: 'voidPayment', failures: 2 },
  });
  assert.equal(result.status, 'FAILED');
  assert.equal(calls.filter((c) => c.name === 'voidPayment').length, 3);
  assert.deepEqual(result.compensations, [
    'refundPayment',
    'cancelOrderRecord',
    'voidPayment',
    'releaseReservation',
  ]);
});

test('a long refund window continues as new and carries its refunds, amounts and event sequence over', async () => {
  // A tiny history budget makes the saga continue as new after its first refund.
  const order = { ...input(), refundWindowSeconds: 120, maxHistoryEvents: 90 };
  const events = await env.withSaga(
    {},
    async (handle, { events }) => {
      const firstRunId = handle.firstExecutionRunId;
      for (;;) {
        if ((await handle.query(getStateQuery)).status === 'COMPLETED') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (const n of [1, 2, 3]) {
        const refund = await handle.executeUpdate(refundUpdate, {
          args: [{ refundId: `r${n}`, amount: 100, reason: 'test', actor: 'support:t' }],
        });
        assert.equal(refund.totalRefunded, n * 100);
      }
      // The hand-over happens once no request is in flight, just after the last update answered.
      const firstRun = env.client().workflow.getHandle(handle.workflowId, firstRunId);
      while ((await firstRun.describe()).status.name === 'RUNNING') {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal((await firstRun.describe()).status.name, 'CONTINUED_AS_NEW');
      const state = await handle.query(getStateQuery);
      assert.deepEqual(
        state.refunds.map((r) => `${r.refundId}:${r.status}`),
        ['r1:done', 'r2:done', 'r3:done'],
      );
      assert.equal(state.amounts.refunded, 300);
      const tooMuch = handle.executeUpdate(refundUpdate, {
        args: [{ refundId: 'r4', amount: 2201, reason: 'test', actor: 'support:t' }],
      });
      await assert.rejects(tooMuch, (err: Error) =>
        /exceeds the 2200 still refundable/.test(String(err.cause)),
      );
      // The stock has left: a customer may no longer cancel; support may.
      await assert.rejects(
        handle.executeUpdate(cancelUpdate, { args: [{ reason: 'test', actor: 'customer:c-1' }] }),
        (err: Error) => /fulfilled/.test(String(err.cause)),
      );
      const cancel = await handle.executeUpdate(cancelUpdate, {
        args: [{ reason: 'test', actor: 'support:t' }],
      });
      assert.equal(cancel.status, 'CANCELLED');
      const result = await handle.result();
      assert.equal(result.status, 'CANCELLED');
      return events;
    },
    order,
  );
  assert.deepEqual(
    events.map((e) => Number(e.split(':')[0])),
    events.map((_, i) => i + 1),
    'event sequence continues across runs',
  );
  assert.deepEqual(events.slice(4), [
    '5:OrderRefunded',
    '6:OrderRefunded',
    '7:OrderRefunded',
    '8:OrderCancelled',
  ]);
});

/** The newest state the saga reported to the order record (reports may land out of order). */
const latest = (reports: OrderSagaState[]) =>
  reports.reduce<OrderSagaState | undefined>(
    (newest, r) => (!newest || (r.revision ?? 0) > (newest.revision ?? 0) ? r : newest),
    undefined,
  );

async function until<T>(what: string, read: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('the order record is told the state the saga answers queries with, at each settled point', async () => {
  const order = { ...input(), refundWindowSeconds: 120 };
  await env.withSaga(
    {},
    async (handle, { reports }) => {
      const completed = await until('COMPLETED reported', () =>
        latest(reports)?.status === 'COMPLETED' ? latest(reports) : undefined,
      );
      assert.deepEqual(await handle.query(getStateQuery), completed);
      assert.ok(completed.refundWindowEndsAt, 'the window end is known with the outcome');

      await handle.executeUpdate(refundUpdate, {
        args: [{ refundId: 'r1', amount: 300, reason: 'scratched', actor: 'support:t' }],
      });
      // Accepted (pending), then done with the refund's outcome: the newest is what a query says.
      const refunded = await until('refund reported', () =>
        latest(reports)?.refunds[0]?.status === 'done' ? latest(reports) : undefined,
      );
      assert.ok(
        reports.some((r) => r.refunds[0]?.status === 'pending'),
        'the accepted refund was reported',
      );
      assert.deepEqual(await handle.query(getStateQuery), refunded);
      assert.equal(refunded.amounts.refunded, 300);

      await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'returned', actor: 'support:t' }] });
      await handle.result();
      const cancelled = latest(reports);
      assert.equal(cancelled?.status, 'CANCELLED');
      assert.deepEqual(await handle.query(getStateQuery), cancelled);
    },
    order,
  );
});

test('a failed saga and a refund Stripe refused are reported as the saga has them', async () => {
  const failed = await env.withSaga({ failAt: 'capturePayment' }, async (handle, { reports }) => {
    await handle.result();
    return { state: await handle.query(getStateQuery), reported: latest(reports) };
  });
  assert.equal(failed.state.status, 'FAILED');
  assert.deepEqual(failed.reported, failed.state);

  await env.withSaga(
    { failAt: 'issueRefund' },
    async (handle, { reports }) => {
      await until('COMPLETED reported', () => (latest(reports)?.status === 'COMPLETED' ? true : undefined));
      await assert.rejects(
        handle.executeUpdate(refundUpdate, {
          args: [{ refundId: 'r1', amount: 300, reason: 'scratched', actor: 'support:t' }],
        }),
      );
      const reported = await until('failed refund reported', () =>
        latest(reports)?.refunds[0]?.status === 'failed' ? latest(reports) : undefined,
      );
      assert.deepEqual(await handle.query(getStateQuery), reported);
    },
    { ...input(), refundWindowSeconds: 120 },
  );
});
