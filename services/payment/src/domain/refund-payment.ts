// Refund: give captured money back, in part or whole. The amount is reserved under a row lock
// on the payment (so two concurrent refunds can never together exceed the capture), then Stripe
// is asked with the caller's idempotency key, then the reservation is settled. An unknown
// outcome keeps the reservation (503 REFUND_PENDING), and a retry with the same key re-sends
// exactly the reserved refund; only Stripe's definitive refusal releases it.
import { captureInFlight, idempotencyKeyReused, paymentNotFound, refundExceedsCaptured } from './errors';
import { carryOutRefund } from './carry-out-refund';
import { fenceCapture } from './capture-fence';
import type { PaymentDeps } from './deps';
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
  if (current?.status === 'CAPTURING') await settleCapture(deps, current, request);

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

  const outcome = await carryOutRefund(deps, plan.payment, plan.refund);
  if (outcome.kind === 'released') throw outcome.cause;
  return { result: resultOf(outcome.refund, outcome.payment), created: true };
}

/**
 * A capture whose answer was lost may have taken the money: find out before refunding. The
 * refund of everything (the saga's compensation of capture) fences the capture so it cannot
 * land after the refund; a refund of a given amount only reads the intent, and waits (503)
 * while the capture is unsettled rather than cancel a payment that may be going through.
 */
async function settleCapture(deps: PaymentDeps, payment: Payment, request: RefundRequest): Promise<void> {
  if (request.amount === undefined) {
    await fenceCapture(deps, payment);
    return;
  }
  const settled = await reconcileCapture(deps, payment);
  if (settled.status === 'CAPTURING') throw captureInFlight(payment.orderId);
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
