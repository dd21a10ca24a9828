// The order saga: validate -> reserve -> authorize -> create -> capture -> commit.
// Each step declares its undo next to it and pushes it before calling the step; a failure or a
// cancel request unwinds the stack newest-first in a non-cancellable scope, so the undo always
// finishes. A completed order then stays open for its refund window (after-completion.ts).
import { CancellationScope, isCancellation, setHandler } from '@temporalio/workflow';
import type { OrderEventData, OrderEventType } from '@orders/platform/events';
import {
  getStateQuery,
  type OrderSagaInput,
  type OrderSagaResult,
  type SagaOutcome,
  type SagaStep,
} from '../shared';
import { inventory, local, mustFinish, order, payment, validation } from './activity-proxies';
import { refundWindow, refundWindowEnd } from './after-completion';
import { CompensationStack, type Compensation } from './compensation-stack';
import { describeFailure } from './failures';
import { setStatus, showStatus } from './order-status';
import { createSagaContext, type SagaContext } from './saga-context';
import { sagaShape } from './saga-shape';
import { acceptSupportRequests } from './support-requests';

/** Thrown between steps when a cancel request was accepted: unwinds like a failure. */
class CancelRequested extends Error {}

export async function orderSaga(input: OrderSagaInput): Promise<OrderSagaResult> {
  // Versioned: sagas recorded before this kept their state to themselves (reads queried them);
  // since, each outcome carries the state and changes in the refund window are reported.
  const shape = sagaShape();
  const ctx = createSagaContext(input, { shape, reportsState: shape.has('order-record-holds-saga-state') });
  const { state } = ctx;
  setHandler(getStateQuery, () => state);
  const inbox = acceptSupportRequests(ctx);
  showStatus(ctx);

  if (!input.resume) {
    const outcome = await placeAndFulfil(ctx);
    if (outcome) return outcome;
  }
  // Versioned: sagas recorded before the refund window existed complete right here on replay.
  if (ctx.shape.has('refund-window')) await refundWindow(ctx, inbox);
  return {
    orderId: input.orderId,
    status: state.status === 'CANCELLED' ? 'CANCELLED' : 'COMPLETED',
    failure: null,
    compensations: state.compensations.map((c) => c.name),
    refunded: state.amounts.refunded,
  };
}

/** The forward saga; returns the outcome when it did not complete. */
async function placeAndFulfil(ctx: SagaContext): Promise<OrderSagaResult | undefined> {
  const { input, state } = ctx;
  const { orderId, customer } = input;
  const saga = new CompensationStack();
  // Versioned: sagas recorded before this waited for each event to be out before going on, and
  // published their final event in an activity of its own.
  const eventsOffPath = ctx.shape.has('events-off-the-critical-path');
  // Versioned: sagas recorded before this published each forward event in an activity of its
  // own and pinned the hold in an activity before the capture's; since, each event rides with
  // the next step's activity (validate, capture, commit: `ctx.carrying`) and capture pins first.
  const eventsRide = ctx.shape.has('events-ride-with-the-next-step');
  // The steps on the platform's own services, as local activities since the patch (see `local`).
  const internal = ctx.shape.localSteps ? local : { validation, inventory, mustFinish };
  /** An event on the way: the saga goes on while it is published (still in order). */
  const announce = async <T extends OrderEventType>(
    type: T,
    data: OrderEventData<T>,
    occurredAt?: string,
  ): Promise<void> => {
    if (eventsRide) ctx.announceWithNextStep(type, data, occurredAt);
    else if (eventsOffPath) ctx.emitInBackground(type, data);
    else await ctx.emit(type, data);
  };
  /** The order record's final state, then the final event (one activity since the patch). */
  // Non-cancellable: a saga cancelled from outside (Temporal UI or CLI) still records its
  // outcome on the order and announces it; otherwise the order would stay PENDING for good.
  const recordOutcome = <T extends OrderEventType>(
    outcome: SagaOutcome,
    type: T,
    data: OrderEventData<T>,
    recorded: () => void = () => undefined,
  ): Promise<void> => CancellationScope.nonCancellable(() => recordOutcomeNow(outcome, type, data, recorded));
  const recordOutcomeNow = async <T extends OrderEventType>(
    outcome: SagaOutcome,
    type: T,
    data: OrderEventData<T>,
    recorded: () => void,
  ): Promise<void> => {
    if (eventsOffPath) {
      await ctx.published();
      // The activity announces the outcome with the order record's time of it (activities/order.ts).
      await internal.mustFinish.recordOutcome(orderId, outcome, ctx.nextEvent(type, data));
      recorded();
      return;
    }
    await mustFinish.recordOutcome(orderId, outcome);
    recorded();
    await ctx.emit(type, data);
  };
  /** One saga step: honour a pending cancel, push the step's undo, then call it. */
  const step = async <T>(name: SagaStep, undo: Compensation | null, action: () => Promise<T>): Promise<T> => {
    if (state.cancellation) throw new CancelRequested();
    if (undo) saga.push(undo);
    state.currentStep = name;
    showStatus(ctx);
    const result = await action();
    state.stepsCompleted.push(name);
    return result;
  };

  // Times from history, not from this task (why: nextEvent in saga-context.ts).
  await announce(
    'OrderPlaced',
    { customer, items: input.items, total: input.total, currency: input.currency },
    input.placedAt,
  );

  try {
    await step('validate', null, () =>
      ctx.carrying((announce) => internal.validation.validateOrder(input, announce)),
    );

    await step(
      'reserve',
      { name: 'releaseReservation', step: 'reserve', run: () => mustFinish.releaseReservation(orderId) },
      () => inventory.reserveStock(orderId, input.items),
    );

    const authorization = await step(
      'authorize',
      {
        name: 'voidPayment',
        step: 'authorize',
        run: async () => {
          // Sagas recorded before the void reported totals replay an empty result.
          const totals = (await mustFinish.voidPayment(orderId)) as
            { captured: number; refunded: number } | undefined;
          state.amounts.captured = Math.max(state.amounts.captured, totals?.captured ?? 0);
          state.amounts.refunded = Math.max(state.amounts.refunded, totals?.refunded ?? 0);
        },
      },
      () =>
        payment.authorizePayment({
          orderId,
          customerId: customer.id,
          amount: input.total,
          currency: input.currency,
          paymentMethod: input.paymentMethod,
        }),
    );
    state.amounts.authorized = authorization.amount;

    await step(
      'create',
      {
        name: 'cancelOrderRecord',
        step: 'create',
        run: () => mustFinish.cancelOrderRecord(orderId, undoReason(ctx)),
      },
      () => order.confirmOrder(orderId),
    );
    setStatus(ctx, 'CONFIRMED');
    await announce('OrderConfirmed', { customer, total: input.total, currency: input.currency });

    const refundCapture = async () => {
      const refund = await mustFinish.refundPayment(orderId, {
        key: `${orderId}:refund:compensation`,
        reason: undoReason(ctx),
      });
      // A capture whose answer was lost still took the money: what was refunded was captured.
      if (state.amounts.captured < state.amounts.refunded + refund.amount)
        state.amounts.captured = state.amounts.refunded + refund.amount;
      state.amounts.refunded += refund.amount;
    };
    const capture = await step(
      'capture',
      { name: 'refundPayment', step: 'capture', run: refundCapture },
      async () => {
        // Pin, then capture: one activity since events ride with the steps.
        if (eventsRide) return ctx.carrying((announce) => payment.captureHeldPayment(orderId, announce));
        // Versioned: the hold is pinned first, so no capture follows an expired hold and no
        // delay after the capture can let the hold expire under it.
        if (ctx.shape.has('pin-hold-before-capture')) await inventory.pinReservation(orderId);
        return payment.capturePayment(orderId);
      },
    );
    state.amounts.captured = capture.captured;
    await announce(
      'PaymentCaptured',
      { customer, amount: capture.captured, currency: input.currency, paymentId: capture.paymentIntentId },
      // Sagas recorded before the capture reported its time replay a result without it.
      (capture as { capturedAt?: string }).capturedAt,
    );

    await step(
      'commit',
      { name: 'returnStock', step: 'commit', run: () => mustFinish.returnStock(orderId) },
      () => ctx.carrying((announce) => internal.inventory.commitReservation(orderId, announce)),
    );
    if (state.cancellation) throw new CancelRequested();
  } catch (err) {
    // Cancelled from outside (Temporal UI or CLI) during a step: unwound like a cancel request.
    if (isCancellation(err) && !state.cancellation)
      state.cancellation = { reason: 'the saga was cancelled in Temporal', actor: 'operator:temporal' };
    const cancelled = err instanceof CancelRequested || isCancellation(err);
    if (!cancelled) state.failure = describeFailure(state.currentStep ?? 'validate', err);
    setStatus(ctx, 'COMPENSATING');
    await CancellationScope.nonCancellable(() =>
      saga.unwind({
        onStart: (c) => state.compensations.push({ name: c.name, step: c.step, status: 'running' }),
        onDone: (c) => {
          const record = state.compensations.find((r) => r.name === c.name);
          if (record) record.status = 'done';
        },
      }),
    );
    state.currentStep = null;
    const compensations = state.compensations.map((c) => c.name);
    const refunded = state.amounts.refunded;
    if (cancelled) {
      const { reason, actor } = state.cancellation ?? { reason: 'cancelled', actor: 'system' };
      await recordOutcome(
        {
          status: 'CANCELLED',
          failure: null,
          compensations,
          refunded,
          reason: undoReason(ctx),
          ...ctx.reportWith({ status: 'CANCELLED' }),
        },
        'OrderCancelled',
        // No refund can precede completion: all that was refunded, this cancellation refunded.
        {
          customer,
          reason,
          actor,
          compensations,
          refunded,
          refundedByCancellation: refunded,
          currency: input.currency,
        },
        // Only now: a cancel request waiting on this status answers once the record says so too.
        () => setStatus(ctx, 'CANCELLED'),
      );
      return { orderId, status: 'CANCELLED', failure: null, compensations, refunded };
    }
    const failure = state.failure ?? describeFailure('validate', err);
    await recordOutcome(
      { status: 'FAILED', failure, compensations, refunded, ...ctx.reportWith({ status: 'FAILED' }) },
      'OrderFailed',
      { customer, failedStep: failure.step, code: failure.code, reason: failure.reason, compensations },
      () => setStatus(ctx, 'FAILED'),
    );
    return { orderId, status: 'FAILED', failure, compensations, refunded };
  }

  state.currentStep = null;
  // The refund window opens as the order completes, so the record learns when it ends with the
  // outcome (refundWindow() keeps this end); set before the status shows it.
  if (ctx.reportsState) state.refundWindowEndsAt = refundWindowEnd(input);
  setStatus(ctx, 'COMPLETED');
  await recordOutcome(
    { status: 'COMPLETED', failure: null, compensations: [], refunded: 0, ...ctx.reportWith() },
    'OrderCompleted',
    { customer, items: input.items, total: input.total, currency: input.currency },
  );
  return undefined;
}

function undoReason({ state }: SagaContext): string {
  if (state.cancellation) return `cancelled by ${state.cancellation.actor}: ${state.cancellation.reason}`;
  return state.failure
    ? `${state.failure.step} failed: ${state.failure.reason}`
    : 'order could not be completed';
}
