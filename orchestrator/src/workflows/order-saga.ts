// The order saga: validate -> reserve -> authorize -> create -> capture -> commit.
// Each step declares its undo next to it and pushes it before calling the step; any failure
// unwinds the stack newest-first in a non-cancellable scope, so the undo always finishes.
import { CancellationScope, proxyActivities, setHandler } from '@temporalio/workflow';
import type { OrderEvent, OrderEventData, OrderEventType } from '@orders/platform/events';
import type { Activities } from '../activities';
import {
  getStateQuery,
  type OrderSagaInput,
  type OrderSagaResult,
  type OrderSagaState,
  type SagaStep,
} from '../shared';
import { CompensationStack } from './compensation-stack';
import { describeFailure } from './failures';

/** Forward steps: infrastructure errors retry with backoff, then the saga compensates. */
const forwardRetry = {
  initialInterval: '500ms',
  backoffCoefficient: 2,
  maximumInterval: '10s',
  maximumAttempts: 8,
} as const;
const validation = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { ...forwardRetry, maximumAttempts: 5 },
});
const inventory = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: forwardRetry });
const order = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: forwardRetry });
// Stripe calls can be slow; the payment service's own Stripe timeout is 10 s.
const payment = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: forwardRetry });

/** Undo actions and bookkeeping must not give up: no attempt limit (the default), capped backoff. */
const mustFinish = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
  },
});

export async function orderSaga(input: OrderSagaInput): Promise<OrderSagaResult> {
  const { orderId, customer } = input;
  const state: OrderSagaState = {
    orderId,
    status: 'PENDING',
    currentStep: null,
    stepsCompleted: [],
    compensations: [],
    failure: null,
    amounts: { currency: input.currency, total: input.total, authorized: 0, captured: 0, refunded: 0 },
  };
  setHandler(getStateQuery, () => state);

  let sequence = 0;
  const emit = <T extends OrderEventType>(type: T, data: OrderEventData<T>) => {
    sequence += 1;
    const event = {
      id: `${orderId}:${sequence}`,
      type,
      orderId,
      sequence,
      occurredAt: new Date().toISOString(), // workflow time: deterministic on replay
      schemaVersion: 1,
      data,
    } as OrderEvent;
    return mustFinish.publishEvent(event);
  };

  const saga = new CompensationStack();
  const run = async <T>(name: SagaStep, action: () => Promise<T>): Promise<T> => {
    state.currentStep = name;
    const result = await action();
    state.stepsCompleted.push(name);
    return result;
  };

  await emit('OrderPlaced', { customer, items: input.items, total: input.total, currency: input.currency });

  try {
    await run('validate', () => validation.validateOrder(input));

    saga.push({
      name: 'releaseReservation',
      step: 'reserve',
      run: () => mustFinish.releaseReservation(orderId),
    });
    await run('reserve', () => inventory.reserveStock(orderId, input.items));

    saga.push({ name: 'voidPayment', step: 'authorize', run: () => mustFinish.voidPayment(orderId) });
    const authorization = await run('authorize', () =>
      payment.authorizePayment({
        orderId,
        customerId: customer.id,
        amount: input.total,
        currency: input.currency,
        paymentMethod: input.paymentMethod,
      }),
    );
    state.amounts.authorized = authorization.amount;

    saga.push({
      name: 'cancelOrderRecord',
      step: 'create',
      run: () => mustFinish.cancelOrderRecord(orderId, failureReason(state)),
    });
    await run('create', () => order.confirmOrder(orderId));
    state.status = 'CONFIRMED';
    await emit('OrderConfirmed', { customer, total: input.total, currency: input.currency });

    saga.push({
      name: 'refundPayment',
      step: 'capture',
      run: async () => {
        const refund = await mustFinish.refundPayment(orderId, {
          key: `${orderId}:refund:compensation`,
          reason: 'order could not be completed',
        });
        state.amounts.refunded += refund.amount;
      },
    });
    const capture = await run('capture', () => payment.capturePayment(orderId));
    state.amounts.captured = capture.captured;
    await emit('PaymentCaptured', {
      customer,
      amount: capture.captured,
      currency: input.currency,
      paymentId: capture.paymentIntentId,
    });

    saga.push({ name: 'returnStock', step: 'commit', run: () => mustFinish.returnStock(orderId) });
    await run('commit', () => inventory.commitReservation(orderId));
  } catch (err) {
    state.failure = describeFailure(state.currentStep ?? 'validate', err);
    state.status = 'COMPENSATING';
    await CancellationScope.nonCancellable(() =>
      saga.unwind({
        onStart: (c) => state.compensations.push({ name: c.name, step: c.step, status: 'running' }),
        onDone: (c) => {
          const record = state.compensations.find((r) => r.name === c.name);
          if (record) record.status = 'done';
        },
      }),
    );
    state.status = 'FAILED';
    state.currentStep = null;
    const compensations = state.compensations.map((c) => c.name);
    await mustFinish.recordOutcome(orderId, { status: 'FAILED', failure: state.failure, compensations });
    await emit('OrderFailed', {
      customer,
      failedStep: state.failure.step,
      code: state.failure.code,
      reason: state.failure.reason,
      compensations,
    });
    return { orderId, status: 'FAILED', failure: state.failure, compensations };
  }

  state.status = 'COMPLETED';
  state.currentStep = null;
  await mustFinish.recordOutcome(orderId, { status: 'COMPLETED', failure: null, compensations: [] });
  await emit('OrderCompleted', {
    customer,
    items: input.items,
    total: input.total,
    currency: input.currency,
  });
  return { orderId, status: 'COMPLETED', failure: null, compensations: [] };
}

function failureReason(state: OrderSagaState): string {
  return state.failure ? `${state.failure.step} failed: ${state.failure.reason}` : 'order cancelled';
}
