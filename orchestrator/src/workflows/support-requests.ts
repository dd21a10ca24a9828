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

export function acceptSupportRequests({ input, state }: SagaContext): SupportInbox {
  const pending = () => state.refunds.filter((r) => r.status === 'pending');
  const refundable = () =>
    state.amounts.captured - state.amounts.refunded - pending().reduce((sum, r) => sum + r.amount, 0);

  function checkCancel(): void {
    if (state.status === 'FAILED' || state.status === 'CANCELLED') {
      throw reject(SupportRejection.orderClosed, `order is already ${state.status.toLowerCase()}`);
    }
    if (state.status === 'COMPENSATING')
      throw reject(SupportRejection.orderClosed, 'order failed and is being compensated');
  }

  function checkRefund(request: RefundRequest): void {
    if (state.refunds.some((r) => r.refundId === request.refundId)) return; // the same refund again: idempotent
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
  }

  const acceptCancel = (request: CancelRequest) => {
    state.cancellation ??= request;
  };
  const acceptRefund = (request: RefundRequest): RefundRecord => {
    const existing = state.refunds.find((r) => r.refundId === request.refundId);
    if (existing) return existing;
    const record: RefundRecord = { ...request, status: 'pending' };
    state.refunds.push(record);
    return record;
  };

  setHandler(cancelSignal, (request) => {
    try {
      checkCancel();
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
    { validator: (_request: CancelRequest) => checkCancel() },
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
