// A completed order stays open for its refund window: refunds (partial, repeated, never beyond
// what was captured) and a cancellation (a full refund with the stock returned) are carried out
// here. A long window's history is continued as new with the state carried over.
import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import {
  DEFAULT_REFUND_WINDOW_SECONDS,
  type OrderSagaInput,
  type OrderSagaResult,
  type RefundRecord,
} from '../shared';
import { inventory, mustFinish, payment } from './activity-proxies';
import type { SagaContext } from './saga-context';
import type { SupportInbox } from './support-requests';

export async function refundWindow(ctx: SagaContext, inbox: SupportInbox): Promise<void> {
  const { input, state } = ctx;
  const endsAt =
    input.resume?.refundWindowEndsAt ??
    new Date(Date.now() + (input.refundWindowSeconds ?? DEFAULT_REFUND_WINDOW_SECONDS) * 1000).toISOString();
  state.refundWindowEndsAt = endsAt;
  const hasWork = () => state.cancellation !== null || inbox.nextRefund() !== undefined;
  for (;;) {
    const remaining = Date.parse(endsAt) - Date.now();
    if (remaining <= 0) break;
    const woken = await condition(hasWork, remaining);
    if (!woken) break;
    const refund = inbox.nextRefund();
    if (refund) await issueRefund(ctx, refund);
    else return cancelAfterCompletion(ctx);
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
  state.refundWindowEndsAt = null;
}

/** Items first (they are back either way), then the money; a refund the provider refuses is reported. */
async function issueRefund(ctx: SagaContext, refund: RefundRecord): Promise<void> {
  const { input, state } = ctx;
  let amount: number;
  try {
    if (refund.items)
      await inventory.returnItems(input.orderId, refund.items, `${input.orderId}:return:${refund.refundId}`);
    ({ amount } = await payment.issueRefund(input.orderId, {
      key: `${input.orderId}:refund:${refund.refundId}`,
      amount: refund.amount,
      reason: refund.reason,
    }));
  } catch (err) {
    refund.status = 'failed';
    refund.failure =
      err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    return;
  }
  await mustFinish.recordOutcome(input.orderId, {
    status: 'COMPLETED',
    failure: null,
    compensations: [],
    refunded: state.amounts.refunded + amount,
  });
  // Counted and done together (the validators count pending refunds), once the order record shows it.
  state.amounts.refunded += amount;
  refund.status = 'done';
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

/** Cancel after capture: return the stock, refund what is still captured, close the order. */
async function cancelAfterCompletion(ctx: SagaContext): Promise<void> {
  const { input, state } = ctx;
  const cancellation = state.cancellation ?? { reason: 'cancelled', actor: 'system' };
  state.compensations.push({ name: 'returnStock', step: 'commit', status: 'running' });
  await mustFinish.returnStock(input.orderId);
  state.compensations.push({ name: 'refundPayment', step: 'capture', status: 'running' });
  const refund = await mustFinish.refundPayment(input.orderId, {
    key: `${input.orderId}:refund:cancellation`,
    reason: `cancelled by ${cancellation.actor}: ${cancellation.reason}`,
  });
  state.amounts.refunded += refund.amount;
  for (const c of state.compensations) c.status = 'done';
  const compensations = state.compensations.map((c) => c.name);
  await mustFinish.recordOutcome(input.orderId, {
    status: 'CANCELLED',
    failure: null,
    compensations,
    refunded: state.amounts.refunded,
    reason: `cancelled by ${cancellation.actor}: ${cancellation.reason}`,
  });
  // Only now: the cancel request waiting on this status answers once the record says so too.
  state.status = 'CANCELLED';
  await ctx.emit('OrderCancelled', {
    customer: input.customer,
    reason: cancellation.reason,
    actor: cancellation.actor,
    compensations,
    refunded: state.amounts.refunded,
    currency: input.currency,
  });
}
