// Carrying out a reserved refund: ask Stripe with the refund's own idempotency key until its
// answer is known. Succeeded: the reservation is settled. Refused for good: the reservation is
// released, but only after the intent's refunds at Stripe show none under this key. Unknown (an
// outage, a timeout, a reset, a key in use): the reservation stays and the caller gets a
// retryable REFUND_PENDING. Nothing here ever turns "unknown" into "failed".
import { PaymentError, isDefinitiveRefusal, providerRejected, refundPending } from './errors';
import type { RefundSnapshot } from './gateway';
import { reread, type PaymentDeps } from './deps';
import type { Payment, Refund } from './payment';

export type RefundOutcome =
  | { kind: 'succeeded'; refund: Refund; payment: Payment }
  /** Stripe refused it: the reserved amount is refundable again, and `cause` says why. */
  | { kind: 'released'; refund: Refund; payment: Payment; cause: PaymentError };

/** Stripe's refund statuses that mean no money moved. */
const NOT_REFUNDED = ['failed', 'canceled'];

export async function carryOutRefund(
  deps: PaymentDeps,
  payment: Payment,
  refund: Refund,
  options: { lookUpFirst?: boolean } = {},
): Promise<RefundOutcome> {
  const intentId = intentOf(payment);
  // Stripe forgets idempotency keys after 24 hours, and a re-send after that would refund
  // again: an old reservation is first looked for among the intent's refunds.
  const old = Date.now() - refund.createdAt.getTime() >= deps.refundLookupAfterMs;
  if (options.lookUpFirst || old) {
    const found = await lookUp(deps, payment, refund);
    if (found) return record(deps, payment, refund, found);
  }
  let made: RefundSnapshot;
  try {
    made = await deps.gateway.refund(
      {
        paymentIntentId: intentId,
        orderId: payment.orderId,
        amount: refund.amount,
        reason: refund.reason,
        refundKey: refund.idempotencyKey,
      },
      refund.idempotencyKey,
    );
  } catch (err) {
    if (isDefinitiveRefusal(err)) return release(deps, payment, refund, err);
    if (err instanceof PaymentError && err.kind === 'unavailable')
      throw refundPending(payment.orderId, refund.idempotencyKey, refund.amount, err);
    // An idempotency conflict: the key's first request may have refunded. Keep the reservation.
    throw err;
  }
  return record(deps, payment, refund, made);
}

async function record(
  deps: PaymentDeps,
  payment: Payment,
  refund: Refund,
  made: RefundSnapshot,
): Promise<RefundOutcome> {
  if (NOT_REFUNDED.includes(made.status)) {
    const cause = providerRejected(
      'refund',
      `Stripe reports refund ${made.refundId} ${made.status}`,
      undefined,
    );
    return releaseReservation(deps, payment, refund, cause);
  }
  const settled =
    (await deps.repo.settleRefund(refund.idempotencyKey, made.refundId)) ??
    (await reread(deps, payment.orderId));
  return { kind: 'succeeded', refund: { ...refund, refundId: made.refundId }, payment: settled };
}

async function release(
  deps: PaymentDeps,
  payment: Payment,
  refund: Refund,
  cause: PaymentError,
): Promise<RefundOutcome> {
  // The refusal answers this request only: an earlier attempt under the same key, whose
  // answer was lost, may have refunded (and Stripe may have forgotten the key since).
  const found = await lookUp(deps, payment, refund);
  if (found) return record(deps, payment, refund, found);
  return releaseReservation(deps, payment, refund, cause);
}

async function releaseReservation(
  deps: PaymentDeps,
  payment: Payment,
  refund: Refund,
  cause: PaymentError,
): Promise<RefundOutcome> {
  await deps.repo.releaseRefund(refund.idempotencyKey);
  deps.logger.warn(
    { orderId: payment.orderId, idempotencyKey: refund.idempotencyKey, code: cause.code },
    'refund refused by Stripe; reservation released',
  );
  return { kind: 'released', refund, payment: await reread(deps, payment.orderId), cause };
}

/** The refund Stripe holds under this key; a failed lookup leaves the refund pending. */
async function lookUp(deps: PaymentDeps, payment: Payment, refund: Refund) {
  try {
    return await deps.gateway.findRefund(intentOf(payment), refund.idempotencyKey);
  } catch (err) {
    if (err instanceof PaymentError)
      throw refundPending(payment.orderId, refund.idempotencyKey, refund.amount, err);
    throw err;
  }
}

function intentOf(payment: Payment): string {
  if (!payment.paymentIntentId) throw new Error(`captured payment of order ${payment.orderId} has no intent`);
  return payment.paymentIntentId;
}
