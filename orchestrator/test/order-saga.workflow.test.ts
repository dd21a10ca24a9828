// The saga's control flow on the real Temporal server, with recording activities: step order,
// compensations pushed before each call and unwound newest first, events in sequence.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import {
  NativeConnection,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Activities } from '../src/activities';
import { cancelUpdate, getStateQuery, orderWorkflowId, refundUpdate } from '../src/shared';
import { orderSaga } from '../src/workflows';
import { fakeActivities, type FakeActivityOptions } from './support/fake-activities';
import { sagaInput } from './support/saga-input';

const address = process.env.TEMPORAL_ADDRESS;
let connection: Connection;
let workerConnection: NativeConnection;
let client: Client;
let workflowBundle: WorkflowBundleWithSourceMap;

before(async () => {
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run through `npm test`');
  // Bundle once for every test: webpack is the slow part of creating a worker.
  workflowBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('../src/workflows/index.ts', import.meta.url)),
  });
  connection = await Connection.connect({ address });
  workerConnection = await NativeConnection.connect({ address });
  client = new Client({ connection });
});
after(async () => {
  await connection.close();
  await workerConnection.close();
});

const input = sagaInput;

async function runSaga(options: FakeActivityOptions) {
  const taskQueue = `saga-test-${randomUUID()}`;
  const { activities, calls, events } = fakeActivities(options);
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowBundle,
    activities,
  });
  const order = input();
  return worker.runUntil(async () => {
    const handle = await client.workflow.start(orderSaga, {
      taskQueue,
      workflowId: orderWorkflowId(order.orderId),
      args: [order],
    });
    const result = await handle.result();
    const state = await handle.query(getStateQuery);
    return { result, state, calls, events };
  });
}

const names = (calls: { name: keyof Activities }[]): string[] =>
  calls.map((c) => c.name).filter((n) => n !== 'publishEvent');

test('the happy path runs every step in order and publishes four events in sequence', async () => {
  const { result, state, calls, events } = await runSaga({});
  assert.equal(result.status, 'COMPLETED');
  assert.deepEqual(names(calls), [
    'validateOrder',
    'reserveStock',
    'authorizePayment',
    'confirmOrder',
    'capturePayment',
    'commitReservation',
    'recordOutcome',
  ]);
  assert.deepEqual(events, ['1:OrderPlaced', '2:OrderConfirmed', '3:PaymentCaptured', '4:OrderCompleted']);
  assert.deepEqual(state.stepsCompleted, ['validate', 'reserve', 'authorize', 'create', 'capture', 'commit']);
  assert.deepEqual(state.compensations, []);
  assert.equal(state.amounts.captured, 2500);
});

test('the saga goes on while an event is on its way; events still leave in sequence', async () => {
  const { result, calls, events } = await runSaga({ publishDelayMs: 300 });
  assert.equal(result.status, 'COMPLETED');
  assert.deepEqual(events, ['1:OrderPlaced', '2:OrderConfirmed', '3:PaymentCaptured', '4:OrderCompleted']);
  const at = (name: string, detail?: string) =>
    calls.findIndex((c) => c.name === name && (detail === undefined || c.detail === detail));
  // Validation ran while OrderPlaced was still being published, capture while OrderConfirmed was.
  assert.ok(at('validateOrder') < at('publishEvent', 'out 1:OrderPlaced'), JSON.stringify(calls));
  assert.ok(at('capturePayment') < at('publishEvent', 'out 2:OrderConfirmed'), JSON.stringify(calls));
  // The final event waits for the ones before it, and leaves with the order's outcome.
  assert.ok(at('publishEvent', 'out 3:PaymentCaptured') < at('recordOutcome'));
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
    assert.deepEqual(
      events.map((e) => Number(e.split(':')[0])),
      events.map((_, i) => i + 1),
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
  const taskQueue = `saga-test-${randomUUID()}`;
  const { activities, events } = fakeActivities({});
  const worker = await Worker.create({ connection: workerConnection, taskQueue, workflowBundle, activities });
  // A tiny history budget makes the saga continue as new after its first refund.
  const order = { ...input(), refundWindowSeconds: 120, maxHistoryEvents: 90 };
  await worker.runUntil(async () => {
    const handle = await client.workflow.start(orderSaga, {
      taskQueue,
      workflowId: orderWorkflowId(order.orderId),
      args: [order],
    });
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
    const firstRun = client.workflow.getHandle(handle.workflowId, firstRunId);
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
    const cancel = await handle.executeUpdate(cancelUpdate, {
      args: [{ reason: 'test', actor: 'customer:c-1' }],
    });
    assert.equal(cancel.status, 'CANCELLED');
    const result = await handle.result();
    assert.equal(result.status, 'CANCELLED');
  });
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
