// The operator's view of refunds whose outcome at Stripe is not known yet, and settling one:
// ask Stripe again (its refunds by our key first, then the same request with the same key).
import { refundNotFound } from './errors';
import { carryOutRefund } from './carry-out-refund';
import { reread, type PaymentDeps } from './deps';
import type { Refund } from './payment';

export interface PendingRefund {
  orderId: string;
  idempotencyKey: string;
  amount: number;
  reason: string | null;
  createdAt: string;
  ageSeconds: number;
}

export async function listPendingRefunds(
  deps: PaymentDeps,
  query: { olderThanSeconds: number; limit: number },
): Promise<PendingRefund[]> {
  const rows = await deps.repo.pendingRefunds(query.olderThanSeconds, query.limit);
  return rows.map((r) => ({
    orderId: r.orderId,
    idempotencyKey: r.idempotencyKey,
    amount: r.amount,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
    ageSeconds: r.ageSeconds,
  }));
}

export type SettledRefund = {
  orderId: string;
  idempotencyKey: string;
  amount: number;
  reason: string | null;
  createdAt: string;
} & (
  | { status: 'succeeded'; refundId: string }
  /** Stripe refused it for good: the amount is refundable again. */
  | { status: 'released'; releasedBecause: { code: string; message: string } }
);

const describe = (refund: Refund) => ({
  orderId: refund.orderId,
  idempotencyKey: refund.idempotencyKey,
  amount: refund.amount,
  reason: refund.reason,
  createdAt: refund.createdAt.toISOString(),
});

/** Succeeded or released; a refund Stripe still cannot answer for throws REFUND_PENDING (503). */
export async function settlePendingRefund(
  deps: PaymentDeps,
  orderId: string,
  idempotencyKey: string,
): Promise<SettledRefund> {
  const refund = await deps.repo.findRefund(idempotencyKey);
  if (!refund || refund.orderId !== orderId) throw refundNotFound(orderId, idempotencyKey);
  if (refund.refundId) return { ...describe(refund), status: 'succeeded', refundId: refund.refundId };
  const payment = await reread(deps, orderId);
  const outcome = await carryOutRefund(deps, payment, refund, { lookUpFirst: true });
  deps.logger.info({ orderId, idempotencyKey, outcome: outcome.kind }, 'pending refund settled');
  if (outcome.kind === 'succeeded')
    return { ...describe(refund), status: 'succeeded', refundId: outcome.refund.refundId ?? '' };
  return {
    ...describe(refund),
    status: 'released',
    releasedBecause: { code: outcome.cause.code, message: outcome.cause.message },
  };
}
