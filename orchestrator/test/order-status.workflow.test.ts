// The order's business status where Temporal's UI and CLI can filter on it: the OrderStatus
// search attribute follows each transition, and a failed order is findable as FAILED although
// its workflow completed normally.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ORDER_STATUS_SEARCH_ATTRIBUTE, type OrderSagaState } from '../src/shared';
import { describeStatus } from '../src/workflows/order-status';
import { sagaInput } from './support/saga-input';
import { sagaTestEnv } from './support/saga-test-env';

const env = sagaTestEnv();

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a running saga shows CONFIRMED, then COMPLETED, and the list filters on it', async () => {
  await env.withSaga({ slow: { name: 'capturePayment', ms: 1_500 } }, async (handle) => {
    const status = async () =>
      (await handle.describe()).typedSearchAttributes.get(ORDER_STATUS_SEARCH_ATTRIBUTE);
    await eventually(status, (s) => s === 'CONFIRMED', 'CONFIRMED while capturing');
    const details = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    assert.match(
      details.currentDetails ?? '',
      /^\*\*Confirmed\*\*: payment authorized \(25\.00 eur\); now: capture\./,
    );
    await handle.result();
    assert.equal(await status(), 'COMPLETED');
    const listed = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const w of env.client().workflow.list({
          query: `WorkflowId = "${handle.workflowId}" AND OrderStatus = "COMPLETED"`,
        }))
          ids.push(w.workflowId);
        return ids;
      },
      (ids) => ids.length === 1,
      'the visibility list to find the order by OrderStatus',
    );
    assert.deepEqual(listed, [handle.workflowId]);
  });
});

test('a failed order is a normally completed workflow whose OrderStatus says FAILED', async () => {
  const order = sagaInput();
  await env.withSaga(
    { failAt: 'authorizePayment' },
    async (handle) => {
      const result = await handle.result();
      assert.equal(result.status, 'FAILED');
      const description = await handle.describe();
      assert.equal(description.status.name, 'COMPLETED', 'the workflow itself completed');
      assert.equal(description.typedSearchAttributes.get(ORDER_STATUS_SEARCH_ATTRIBUTE), 'FAILED');
    },
    order,
  );
});

test('the status line names what a support engineer needs', () => {
  const state: OrderSagaState = {
    orderId: 'o-1',
    status: 'COMPLETED',
    currentStep: null,
    stepsCompleted: [],
    compensations: [],
    failure: null,
    amounts: { currency: 'eur', total: 2500, authorized: 2500, captured: 2500, refunded: 500 },
    cancellation: null,
    refunds: [],
    refundWindowEndsAt: '2027-01-01T00:00:00.000Z',
  };
  assert.equal(
    describeStatus(state),
    '**Completed**: fulfilled; captured 25.00 eur, refunded 5.00 eur. The workflow stays open until the refund window ends at 2027-01-01T00:00:00.000Z.',
  );
  assert.equal(
    describeStatus({
      ...state,
      status: 'FAILED',
      failure: { step: 'authorize', code: 'CARD_DECLINED', reason: 'the card was declined.' },
      compensations: [{ name: 'voidPayment', step: 'authorize', status: 'done' }],
    }),
    '**Failed** at authorize (CARD_DECLINED): the card was declined. Undone: voidPayment.',
  );
});
