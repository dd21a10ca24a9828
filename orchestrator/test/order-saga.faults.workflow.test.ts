// The saga under the faults of issue 13, with recording activities on the real Temporal server:
// cancelled from outside mid-step, refunds whose outcome is unknown, support actions on a
// fulfilled order, and requests arriving as the refund window closes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { cancelUpdate, getStateQuery, refundUpdate, type RefundRequest } from '../src/shared';
import { sagaInput } from './support/saga-input';
import { sagaTestEnv } from './support/saga-test-env';

const env = sagaTestEnv();

const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const refusalType = (err: unknown) =>
  err instanceof WorkflowUpdateFailedError ? (err.cause as { type?: string } | undefined)?.type : undefined;

const refund = (refundId: string, extra: Partial<RefundRequest> = {}): RefundRequest => ({
  refundId,
  amount: 500,
  reason: 'test',
  actor: 'support:agent',
  ...extra,
});

test('cancelled from Temporal during a step: the undo runs, the order is recorded CANCELLED and announced', async () => {
  const { result, calls, events } = await env.withSaga(
    { slow: { name: 'capturePayment', ms: 2_000 } },
    async (handle, fake) => {
      await waitFor(
        'the capture step',
        async () => (await handle.query(getStateQuery)).currentStep === 'capture',
      );
      await handle.cancel();
      return { result: await handle.result(), ...fake };
    },
  );
  assert.equal(result.status, 'CANCELLED');
  assert.deepEqual(result.compensations, [
    'refundPayment',
    'cancelOrderRecord',
    'voidPayment',
    'releaseReservation',
  ]);
  assert.deepEqual(
    calls.filter((c) => c.name === 'recordOutcome').map((c) => c.detail),
    ['CANCELLED'],
  );
  assert.match(events.at(-1) ?? '', /:OrderCancelled$/);
});

test('a refund whose outcome stays unknown is retried with its key until known, never failed', async () => {
  const order = { ...sagaInput(), refundWindowSeconds: 60 };
  const { answer, calls } = await env.withSaga(
    { flakyCompensation: { name: 'issueRefund', failures: 9 } },
    async (handle, fake) => {
      await waitFor('completion', async () => (await handle.query(getStateQuery)).status === 'COMPLETED');
      const answer = await handle.executeUpdate(refundUpdate, { args: [refund('r-unknown')] });
      await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'done', actor: 'support:agent' }] });
      return { answer, ...fake };
    },
    order,
  );
  assert.equal(answer.totalRefunded, 500);
  // Nine retryable failures (beyond the forward steps' eight attempts, after which the refund
  // used to be marked failed), then the answer: the same refund, ten attempts.
  assert.equal(calls.filter((c) => c.name === 'issueRefund').length, 10);
});

test('a refund with items moves the money first; items return once, after it', async () => {
  const order = { ...sagaInput(), refundWindowSeconds: 60 };
  const calls = await env.withSaga(
    {},
    async (handle, fake) => {
      await waitFor('completion', async () => (await handle.query(getStateQuery)).status === 'COMPLETED');
      const request = refund('r-items', { items: [{ sku: 'MUG', quantity: 1 }] });
      await handle.executeUpdate(refundUpdate, { args: [request] });
      // The same key again is the same refund: no second return.
      await handle.executeUpdate(refundUpdate, { args: [request] });
      await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'done', actor: 'support:agent' }] });
      return fake.calls;
    },
    order,
  );
  const names = calls.map((c) => c.name).filter((n) => n === 'issueRefund' || n === 'returnItems');
  assert.deepEqual(names.slice(0, 2), ['issueRefund', 'returnItems']);
  assert.equal(calls.filter((c) => c.name === 'returnItems' && c.detail === 'MUGx1').length, 1);
});

test('the same refund key with another amount or items is IDEMPOTENCY_KEY_REUSED; returns are bounded', async () => {
  const order = { ...sagaInput(), refundWindowSeconds: 60 };
  await env.withSaga(
    {},
    async (handle) => {
      await waitFor('completion', async () => (await handle.query(getStateQuery)).status === 'COMPLETED');
      await handle.executeUpdate(refundUpdate, {
        args: [refund('r-1', { items: [{ sku: 'MUG', quantity: 1 }] })],
      });
      for (const other of [
        refund('r-1', { amount: 600, items: [{ sku: 'MUG', quantity: 1 }] }),
        refund('r-1'),
      ]) {
        await assert.rejects(handle.executeUpdate(refundUpdate, { args: [other] }), (err) => {
          assert.equal(refusalType(err), 'IDEMPOTENCY_KEY_REUSED');
          return true;
        });
      }
      // Two mugs were ordered and one is back: a second cannot come back twice.
      await assert.rejects(
        handle.executeUpdate(refundUpdate, {
          args: [refund('r-2', { items: [{ sku: 'MUG', quantity: 2 }] })],
        }),
        (err) => refusalType(err) === 'RETURN_EXCEEDS_ORDERED',
      );
      await assert.rejects(
        handle.executeUpdate(refundUpdate, {
          args: [refund('r-3', { items: [{ sku: 'NOT-ORDERED', quantity: 1 }] })],
        }),
        (err) => refusalType(err) === 'RETURN_EXCEEDS_ORDERED',
      );
      await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'done', actor: 'support:agent' }] });
    },
    order,
  );
});

test('a customer cannot cancel a fulfilled order; support cancels it and only declared items return', async () => {
  const order = { ...sagaInput(), refundWindowSeconds: 60 };
  const { result, calls } = await env.withSaga(
    {},
    async (handle, fake) => {
      await waitFor('completion', async () => (await handle.query(getStateQuery)).status === 'COMPLETED');
      await assert.rejects(
        handle.executeUpdate(cancelUpdate, { args: [{ reason: 'mine', actor: 'customer:c-1' }] }),
        (err) => refusalType(err) === 'ORDER_FULFILLED',
      );
      await handle.executeUpdate(cancelUpdate, {
        args: [{ reason: 'one came back', actor: 'support:agent', items: [{ sku: 'MUG', quantity: 1 }] }],
      });
      return { result: await handle.result(), ...fake };
    },
    order,
  );
  assert.equal(result.status, 'CANCELLED');
  const undo = calls.map((c) => c.name).slice(calls.findIndex((c) => c.name === 'refundPayment'));
  assert.deepEqual(
    undo.filter((n) => n !== 'publishEvent'),
    ['refundPayment', 'returnItems', 'recordOutcome'],
  );
  assert.ok(!calls.some((c) => c.name === 'returnStock'), 'no unit returns that was not declared returned');
});

test('requests racing the end of the refund window are carried out or refused, never dropped', async () => {
  const order = { ...sagaInput(), refundWindowSeconds: 3 };
  const outcomes = await env.withSaga(
    {},
    async (handle) => {
      await waitFor('completion', async () => (await handle.query(getStateQuery)).status === 'COMPLETED');
      const endsAt = Date.parse((await handle.query(getStateQuery)).refundWindowEndsAt ?? '');
      // A refund of 10 every 25 ms from shortly before the window ends until well after it.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, endsAt - Date.now() - 700)));
      const attempts: Promise<'done' | 'refused' | 'lost'>[] = [];
      for (let n = 0; n < 60; n++) {
        attempts.push(
          (async () => {
            let accepted;
            try {
              accepted = await handle.startUpdate(refundUpdate, {
                args: [refund(`race-${n}`, { amount: 10 })],
                waitForStage: 'ACCEPTED',
              });
            } catch {
              return 'refused'; // the saga had closed
            }
            // A validator's refusal surfaces here too; an accepted refund must be carried out,
            // whatever happens to the window meanwhile.
            return accepted.result().then(
              () => 'done' as const,
              (err: unknown) => (refusalType(err) === 'ORDER_CLOSED' ? 'refused' : 'lost'),
            );
          })(),
        );
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const outcomes = await Promise.all(attempts);
      await handle.result();
      return outcomes;
    },
    order,
  );
  assert.equal(outcomes.filter((o) => o === 'lost').length, 0, outcomes.join(' '));
  assert.ok(outcomes.includes('refused'), 'the window closed during the run');
});
