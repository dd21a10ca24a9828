// Which reads the order record answers on its own, and the budget of saga queries for the rest.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { OrderSagaState } from '@orders/orchestrator/shared';
import type { Order } from '../src/domain/order';
import { sagaReads, settledState } from '../src/domain/order-reads';

const sagaState = (changes: Partial<OrderSagaState> = {}): OrderSagaState => ({
  orderId: randomUUID(),
  status: 'COMPLETED',
  currentStep: null,
  stepsCompleted: ['validate', 'reserve', 'authorize', 'create', 'capture', 'commit'],
  compensations: [],
  failure: null,
  amounts: { currency: 'eur', total: 2500, authorized: 2500, captured: 2500, refunded: 0 },
  cancellation: null,
  refunds: [],
  refundWindowEndsAt: new Date(Date.now() + 3_600_000).toISOString(),
  revision: 1,
  ...changes,
});

const order = (changes: Partial<Order> = {}): Order => ({
  id: randomUUID(),
  customer: { id: 'c-1', email: 'c-1@example.test' },
  items: [{ sku: 'MUG', quantity: 2, unitPrice: 1250 }],
  currency: 'eur',
  total: 2500,
  paymentMethod: 'pm_card_visa',
  status: 'COMPLETED',
  statusReason: null,
  failure: null,
  compensations: [],
  refunded: 0,
  sagaStarted: true,
  sagaState: sagaState(),
  traceparent: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...changes,
});

test('the record answers a settled order: completed with nothing under way, failed, cancelled', () => {
  const completed = order();
  assert.equal(settledState(completed), completed.sagaState);
  for (const status of ['FAILED', 'CANCELLED'] as const) {
    const ended = order({ status, sagaState: sagaState({ status, refundWindowEndsAt: null }) });
    assert.equal(settledState(ended), ended.sagaState);
  }
});

test('the record does not answer while the saga may be ahead of it', () => {
  const cases: Partial<Order>[] = [
    { status: 'PENDING', sagaState: null },
    { status: 'CONFIRMED', sagaState: null },
    // Never reported (a saga started before reporting existed).
    { status: 'COMPLETED', sagaState: null },
    // The record moved on (cancel-record during compensation) before the saga reported.
    { status: 'CANCELLED', sagaState: sagaState({ status: 'COMPENSATING' }) },
    { sagaState: sagaState({ cancellation: { reason: 'r', actor: 'support:a' } }) },
    {
      sagaState: sagaState({
        refunds: [{ refundId: 'r1', amount: 1, reason: 'r', actor: 'support:a', status: 'pending' }],
      }),
    },
  ];
  for (const changes of cases) assert.equal(settledState(order(changes)), undefined, JSON.stringify(changes));
});

test('a refund window that has ended reads as closed, as the saga would answer', () => {
  const ended = order({
    sagaState: sagaState({ refundWindowEndsAt: new Date(Date.now() - 1_000).toISOString() }),
  });
  assert.equal(settledState(ended)?.refundWindowEndsAt, null);
});

test('reads of moving sagas query within the budget; past it they answer from the record', async () => {
  let queries = 0;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const live = sagaState({ status: 'CONFIRMED', currentStep: 'capture' });
  const reads = sagaReads(
    {
      async state() {
        queries += 1;
        await held;
        return live;
      },
    },
    { queriesPerSecond: 100, maxConcurrentQueries: 2 },
  );
  const reported = sagaState({ status: 'PENDING', revision: 3 });
  const moving = order({ status: 'CONFIRMED', sagaState: reported });
  const pending = Array.from({ length: 5 }, () => reads.stateOf(moving));
  await new Promise((resolve) => setTimeout(resolve, 50));
  release();
  const answers = await Promise.all(pending);
  assert.equal(queries, 2);
  assert.equal(answers.filter((a) => a === live).length, 2);
  assert.equal(answers.filter((a) => a === reported).length, 3);

  // A per-second budget: the first query of the second is sent, the next waits for the next second.
  const slow = sagaReads({ state: async () => live }, { queriesPerSecond: 1, maxConcurrentQueries: 10 });
  assert.equal(await slow.stateOf(moving), live);
  assert.equal(await slow.stateOf(moving), reported);
  // A saga not started yet is not asked at all.
  assert.equal(await slow.stateOf(order({ status: 'PENDING', sagaStarted: false, sagaState: null })), null);
});
