// Refund: give captured money back, in part or whole. The amount is reserved under a row lock
// on the payment (so two concurrent refunds can never together exceed the capture), then Stripe
// is asked with the caller's idempotency key, then the reservation is settled. A Stripe outage
// keeps the reservation, and a retry with the same key re-sends exactly the reserved refund.
import { PaymentError, idempotencyKeyReused, paymentNotFound, refundExceedsCaptured } from './errors';
import { reread, type PaymentDeps } from './deps';
import { CAPTURED_STATUSES, type Payment, type PaymentStatus, type Refund } from './payment';
import { reconcileCapture } from './settle';

export interface RefundRequest {
  /** Omitted: everything still refundable (the saga's compensation of capture). */
  amount?: number | undefined;
  reason?: string | undefined;
}

export interface RefundResult {
  orderId: string;
  refundId: string | null;
  amount: number;
  totalRefunded: number;
  status: PaymentStatus | null;
}

type Plan =
  | { kind: 'nothing'; payment: Payment | undefined }
  | { kind: 'done'; refund: Refund; payment: Payment }
  | { kind: 'ask-stripe'; refund: Refund; payment: Payment };

export async function refundPayment(
  deps: PaymentDeps,
  orderId: string,
  idempotencyKey: string,
  request: RefundRequest,
): Promise<{ result: RefundResult; created: boolean }> {
  const current = await deps.repo.find(orderId);
  // A capture whose answer was lost may have taken the money: find out before refunding.
  if (current?.status === 'CAPTURING') await reconcileCapture(deps, current);

  const plan = await deps.repo.transaction((tx) => planRefund(tx, orderId, idempotencyKey, request));
  if (plan.kind === 'nothing') {
    const { payment } = plan;
    const result = {
      orderId,
      refundId: null,
      amount: 0,
      totalRefunded: payment?.refunded ?? 0,
      status: payment?.status ?? null,
    };
    return { result, created: false };
  }
  if (plan.kind === 'done') return { result: resultOf(plan.refund, plan.payment), created: false };

  const { refund, payment } = plan;
  if (!payment.paymentIntentId) throw new Error(`captured payment of order ${orderId} has no intent`);
  let refundId: string;
  try {
    ({ refundId } = await deps.gateway.refund(
      { paymentIntentId: payment.paymentIntentId, orderId, amount: refund.amount, reason: refund.reason },
      idempotencyKey,
    ));
  } catch (err) {
    // Stripe said no for good: give the reserved amount back. An outage keeps it for the retry.
    if (err instanceof PaymentError && err.kind !== 'unavailable') {
      await deps.repo.releaseRefund(idempotencyKey);
      deps.logger.warn(
        { orderId, idempotencyKey, code: err.code },
        'refund refused by Stripe; reservation released',
      );
    }
    throw err;
  }
  const settled = (await deps.repo.settleRefund(idempotencyKey, refundId)) ?? (await reread(deps, orderId));
  return { result: resultOf({ ...refund, refundId }, settled), created: true };
}

const resultOf = (refund: Refund, payment: Payment): RefundResult => ({
  orderId: payment.orderId,
  refundId: refund.refundId,
  amount: refund.amount,
  totalRefunded: payment.refunded,
  status: payment.status,
});

async function planRefund(
  tx: PaymentDeps['repo'],
  orderId: string,
  idempotencyKey: string,
  request: RefundRequest,
): Promise<Plan> {
  // The lock comes first, so a concurrent request with the same key waits and then sees ours.
  const payment = await tx.find(orderId, { lock: true });
  const existing = await tx.findRefund(idempotencyKey);
  if (existing) {
    if (existing.orderId !== orderId || (request.amount !== undefined && request.amount !== existing.amount))
      throw idempotencyKeyReused(
        idempotencyKey,
        `idempotency key ${idempotencyKey} was used for a different refund`,
      );
    if (!payment) throw new Error(`refund ${idempotencyKey} names a missing payment`);
    return { kind: existing.refundId ? 'done' : 'ask-stripe', refund: existing, payment };
  }
  if (!payment) {
    if (request.amount === undefined) return { kind: 'nothing', payment };
    throw paymentNotFound(orderId);
  }
  const captured = CAPTURED_STATUSES.includes(payment.status) ? payment.captured : 0;
  const refundable = Math.max(0, captured - payment.refunded - (await tx.reservedRefunds(orderId)));
  if (request.amount === undefined && refundable === 0) return { kind: 'nothing', payment };
  const amount = request.amount ?? refundable;
  if (amount > refundable) throw refundExceedsCaptured(orderId, amount, refundable);
  const refund = await tx.reserveRefund({
    idempotencyKey,
    orderId,
    amount,
    reason: request.reason ?? null,
  });
  return { kind: 'ask-stripe', refund, payment };
}
