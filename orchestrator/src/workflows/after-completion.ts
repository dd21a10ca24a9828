// A completed order stays open for its refund window: refunds (partial, repeated, never beyond
// what was captured) and a cancellation (a full refund with the stock returned) are carried out
// here. A long window's history is continued as new with the state carried over.
import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  workflowInfo,
} from '@temporalio/workflow';
import {
  DEFAULT_REFUND_WINDOW_SECONDS,
  type OrderSagaInput,
  type OrderSagaResult,
  type RefundRecord,
} from '../shared';
import { inventory, mustFinish, payment, supportRefund } from './activity-proxies';
import { setStatus, showStatus } from './order-status';
import type { SagaContext } from './saga-context';
import type { SupportInbox } from './support-requests';

/** When a window opening now ends. */
export const refundWindowEnd = (input: OrderSagaInput): string =>
  new Date(Date.now() + (input.refundWindowSeconds ?? DEFAULT_REFUND_WINDOW_SECONDS) * 1000).toISOString();

export async function refundWindow(ctx: SagaContext, inbox: SupportInbox): Promise<void> {
  const { input, state } = ctx;
  // Opened as the order completed (set there by sagas that report their state), or now.
  const endsAt = input.resume?.refundWindowEndsAt ?? state.refundWindowEndsAt ?? refundWindowEnd(input);
  state.refundWindowEndsAt = endsAt;
  showStatus(ctx);
  const hasWork = () => state.cancellation !== null || inbox.nextRefund() !== undefined;
  /** Carries out the oldest accepted request; true when it was the cancellation (the end). */
  const serveNext = () =>
    // Non-cancellable: money that may be moving is seen through even if the saga is cancelled.
    CancellationScope.nonCancellable(async () => {
      const refund = inbox.nextRefund();
      if (refund) {
        await issueRefund(ctx, refund);
        return false;
      }
      await cancelAfterCompletion(ctx);
      return true;
    });
  for (;;) {
    const remaining = Date.parse(endsAt) - Date.now();
    if (remaining <= 0) break;
    let woken: boolean;
    try {
      woken = await condition(hasWork, remaining);
    } catch (err) {
      // Cancelled from outside while idle: the order is complete and recorded; close the window.
      if (!isCancellation(err)) throw err;
      break;
    }
    if (!woken) break;
    if (await serveNext()) return;
    if (
      workflowInfo().historyLength > (input.maxHistoryEvents ?? 2_000) ||
      workflowInfo().continueAsNewSuggested
    ) {
      // An update handler in flight waits for this loop to carry out its request, so hand over
      // only once nothing is queued; a request that arrived meanwhile is served first.
      await condition(() => hasWork() || allHandlersFinished());
      if (hasWork()) continue;
      await continueAsNew<(input: OrderSagaInput) => Promise<OrderSagaResult>>({
        ...input,
        resume: { state, sequence: ctx.sequence(), refundWindowEndsAt: endsAt },
      });
    }
  }
  // From here every new request is refused; one accepted in the window's last moment is still
  // carried out (versioned: sagas recorded before this closed with such a request unserved).
  state.refundWindowClosed = true;
  if (hasWork() && ctx.shape.has('serve-requests-at-window-end')) {
    while (hasWork()) if (await serveNext()) return;
  }
  state.refundWindowEndsAt = null;
}

/**
 * A support refund. Versioned: the money moves first, retried with the same key until Stripe's
 * answer is known, and only then do the declared items return to stock (once per refund key).
 * Sagas recorded before returned the items first and gave up after the forward retries.
 */
async function issueRefund(ctx: SagaContext, refund: RefundRecord): Promise<void> {
  const { input } = ctx;
  if (!ctx.shape.has('refund-money-before-items')) return issueRefundItemsFirst(ctx, refund);
  let amount: number;
  try {
    ({ amount } = await supportRefund.issueRefund(input.orderId, refundAtProvider(input.orderId, refund)));
  } catch (err) {
    // Only a definitive refusal ends up here: nothing was refunded, so nothing is restocked.
    refund.status = 'failed';
    refund.failure = failureMessage(err);
    // No outcome to record, but the order record shows the refund's fate too.
    ctx.reportInBackground();
    return;
  }
  if (refund.items) {
    try {
      await mustFinish.returnItems(input.orderId, refund.items, `${input.orderId}:return:${refund.refundId}`);
    } catch (err) {
      // The validator checked the items; a refusal here is a bug to look at, not a lost refund.
      log.error('refunded items could not be returned to stock', {
        orderId: input.orderId,
        refundId: refund.refundId,
        error: failureMessage(err),
      });
    }
  }
  await recordRefund(ctx, refund, amount);
}

async function issueRefundItemsFirst(ctx: SagaContext, refund: RefundRecord): Promise<void> {
  const { input } = ctx;
  let amount: number;
  try {
    if (refund.items)
      await inventory.returnItems(input.orderId, refund.items, `${input.orderId}:return:${refund.refundId}`);
    ({ amount } = await payment.issueRefund(input.orderId, refundAtProvider(input.orderId, refund)));
  } catch (err) {
    refund.status = 'failed';
    refund.failure = failureMessage(err);
    return;
  }
  await recordRefund(ctx, refund, amount);
}

async function recordRefund(ctx: SagaContext, refund: RefundRecord, amount: number): Promise<void> {
  const { input, state } = ctx;
  await mustFinish.recordOutcome(input.orderId, {
    status: 'COMPLETED',
    failure: null,
    compensations: [],
    refunded: state.amounts.refunded + amount,
    // As the saga is once the record shows the refund (just below).
    ...ctx.reportWith({
      amounts: { ...state.amounts, refunded: state.amounts.refunded + amount },
      refunds: state.refunds.map((r) => (r === refund ? { ...r, status: 'done' as const } : r)),
    }),
  });
  // Counted and done together (the validators count pending refunds), once the order record shows it.
  state.amounts.refunded += amount;
  refund.status = 'done';
  showStatus(ctx);
  await ctx.emit('OrderRefunded', {
    customer: input.customer,
    refundId: refund.refundId,
    amount,
    totalRefunded: state.amounts.refunded,
    currency: input.currency,
    reason: refund.reason,
    actor: refund.actor,
  });
}

/** The provider call of a support refund: its key is the refund's, whoever sends it and how often. */
const refundAtProvider = (orderId: string, refund: RefundRecord) => ({
  key: `${orderId}:refund:${refund.refundId}`,
  amount: refund.amount,
  reason: refund.reason,
});

const failureMessage = (err: unknown): string =>
  err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);

/**
 * Cancel after fulfilment (support): refund what is still captured, and return to stock only the
 * items declared sent back. Versioned: sagas recorded before returned every unit first.
 */
async function cancelAfterCompletion(ctx: SagaContext): Promise<void> {
  const { input, state } = ctx;
  const cancellation = state.cancellation ?? { reason: 'cancelled', actor: 'system' };
  const reason = `cancelled by ${cancellation.actor}: ${cancellation.reason}`;
  const refundedBefore = state.amounts.refunded;
  const refundRest = async () => {
    state.compensations.push({ name: 'refundPayment', step: 'capture', status: 'running' });
    const refund = await mustFinish.refundPayment(input.orderId, {
      key: `${input.orderId}:refund:cancellation`,
      reason,
    });
    state.amounts.refunded += refund.amount;
  };
  if (ctx.shape.has('fulfilled-cancel-returns-declared-items')) {
    await refundRest();
    if (cancellation.items?.length) {
      state.compensations.push({ name: 'returnStock', step: 'commit', status: 'running' });
      await mustFinish.returnItems(input.orderId, cancellation.items, `${input.orderId}:return:cancellation`);
    }
  } else {
    state.compensations.push({ name: 'returnStock', step: 'commit', status: 'running' });
    await mustFinish.returnStock(input.orderId);
    await refundRest();
  }
  for (const c of state.compensations) c.status = 'done';
  const compensations = state.compensations.map((c) => c.name);
  await mustFinish.recordOutcome(input.orderId, {
    status: 'CANCELLED',
    failure: null,
    compensations,
    refunded: state.amounts.refunded,
    reason,
    ...ctx.reportWith({ status: 'CANCELLED' }),
  });
  // Only now: the cancel request waiting on this status answers once the record says so too.
  setStatus(ctx, 'CANCELLED');
  await ctx.emit('OrderCancelled', {
    customer: input.customer,
    reason: cancellation.reason,
    actor: cancellation.actor,
    compensations,
    refunded: state.amounts.refunded,
    refundedByCancellation: state.amounts.refunded - refundedBefore,
    currency: input.currency,
  });
}
