// Support staff and customers act on a running saga: cancel and refund, each as a signal
// (fire and forget) and as an update whose validator refuses a request that cannot be honoured,
// so the API can answer 409/422 at once. Accepted requests are queued here; the saga acts on them.
import { ApplicationFailure, condition, log, setHandler } from '@temporalio/workflow';
import {
  SupportRejection,
  cancelSignal,
  cancelUpdate,
  refundSignal,
  refundUpdate,
  type CancelRequest,
  type ItemQuantity,
  type RefundRecord,
  type RefundRequest,
} from '../shared';
import type { SagaContext } from './saga-context';

export interface SupportInbox {
  /** The oldest accepted refund not yet carried out. */
  nextRefund(): RefundRecord | undefined;
}

const reject = (type: string, message: string) =>
  ApplicationFailure.create({ type, message, nonRetryable: true });

export function acceptSupportRequests(ctx: SagaContext): SupportInbox {
  const { input, state } = ctx;
  const pending = () => state.refunds.filter((r) => r.status === 'pending');
  const refundable = () =>
    state.amounts.captured - state.amounts.refunded - pending().reduce((sum, r) => sum + r.amount, 0);

  function checkOpen(): void {
    if (state.refundWindowClosed)
      throw reject(SupportRejection.orderClosed, 'the order is closed: its refund window has ended');
  }

  /** Items declared returned must be in the order, and not returned already (or on the way). */
  function checkReturnable(items: ItemQuantity[] | undefined): void {
    if (!items?.length) return;
    const left = new Map<string, number>();
    for (const line of input.items) left.set(line.sku, (left.get(line.sku) ?? 0) + line.quantity);
    for (const refund of state.refunds)
      if (refund.status !== 'failed')
        for (const item of refund.items ?? []) left.set(item.sku, (left.get(item.sku) ?? 0) - item.quantity);
    for (const item of items) {
      const returnable = Math.max(0, left.get(item.sku) ?? 0);
      if (item.quantity > returnable)
        throw reject(
          SupportRejection.returnExceedsOrdered,
          left.has(item.sku)
            ? `${item.quantity} of ${item.sku} declared returned, but only ${returnable} can still be returned`
            : `${item.sku} is not part of this order`,
        );
    }
  }

  function checkCancel(request: CancelRequest): void {
    if (state.status === 'FAILED' || state.status === 'CANCELLED') {
      throw reject(SupportRejection.orderClosed, `order is already ${state.status.toLowerCase()}`);
    }
    if (state.status === 'COMPENSATING')
      throw reject(SupportRejection.orderClosed, 'order failed and is being compensated');
    checkOpen();
    // A customer may cancel until the stock is committed; after that the goods have left and
    // cancelling (a full refund, stock back for what is declared returned) is for support.
    if (state.stepsCompleted.includes('commit') && request.actor.startsWith('customer:'))
      throw reject(
        SupportRejection.orderFulfilled,
        'the order has been fulfilled; to return items or get money back, contact support',
      );
    checkReturnable(request.items);
  }

  function checkRefund(request: RefundRequest): void {
    const existing = state.refunds.find((r) => r.refundId === request.refundId);
    if (existing) {
      // The same refund again is idempotent; the same key for another refund is a mistake.
      if (existing.amount !== request.amount || itemsKey(existing.items) !== itemsKey(request.items))
        throw reject(
          SupportRejection.idempotencyKeyReused,
          `this Idempotency-Key was used for a refund of ${existing.amount}${existing.items?.length ? ' with items' : ''}; use a new key for a different refund`,
        );
      return;
    }
    checkOpen();
    if (state.status !== 'COMPLETED' || state.cancellation) {
      throw reject(
        SupportRejection.notRefundable,
        `only a completed order can be refunded; this one is ${state.cancellation ? 'being cancelled' : state.status.toLowerCase()}`,
      );
    }
    if (request.amount > refundable()) {
      throw reject(
        SupportRejection.refundExceedsCaptured,
        `a refund of ${request.amount} exceeds the ${refundable()} still refundable`,
      );
    }
    checkReturnable(request.items);
  }

  // A completed order's record answers reads on its own; from the moment a request is accepted
  // it must show that work is under way (earlier, the record is not settled anyway).
  const reportAccepted = () => {
    if (state.status === 'COMPLETED') ctx.reportInBackground();
  };
  const acceptCancel = (request: CancelRequest) => {
    if (state.cancellation) return;
    state.cancellation = request;
    reportAccepted();
  };
  const acceptRefund = (request: RefundRequest): RefundRecord => {
    const existing = state.refunds.find((r) => r.refundId === request.refundId);
    if (existing) return existing;
    const record: RefundRecord = { ...request, status: 'pending' };
    state.refunds.push(record);
    reportAccepted();
    return record;
  };

  setHandler(cancelSignal, (request) => {
    try {
      checkCancel(request);
      acceptCancel(request);
    } catch (err) {
      log.warn('cancel signal ignored', { orderId: input.orderId, reason: (err as Error).message });
    }
  });
  setHandler(refundSignal, (request) => {
    try {
      checkRefund(request);
      acceptRefund(request);
    } catch (err) {
      log.warn('refund signal ignored', {
        orderId: input.orderId,
        refundId: request.refundId,
        reason: (err as Error).message,
      });
    }
  });

  setHandler(
    cancelUpdate,
    async (request) => {
      acceptCancel(request);
      await condition(() => state.status === 'CANCELLED' || state.status === 'FAILED');
      return { orderId: input.orderId, status: state.status, refunded: state.amounts.refunded };
    },
    { validator: checkCancel },
  );
  setHandler(
    refundUpdate,
    async (request) => {
      const record = acceptRefund(request);
      await condition(() => record.status !== 'pending');
      if (record.status === 'failed')
        throw reject(SupportRejection.refundFailed, record.failure ?? 'the refund failed');
      return {
        orderId: input.orderId,
        refundId: record.refundId,
        amount: record.amount,
        totalRefunded: state.amounts.refunded,
        captured: state.amounts.captured,
      };
    },
    { validator: checkRefund },
  );

  return { nextRefund: () => pending()[0] };
}

/** Items in a canonical order, so the same items compare equal however they were listed. */
function itemsKey(items: ItemQuantity[] | undefined): string {
  return (items ?? [])
    .map((i) => `${i.sku}=${i.quantity}`)
    .sort()
    .join(',');
}
