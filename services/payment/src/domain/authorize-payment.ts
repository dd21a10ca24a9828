// Authorize: hold the order's amount on the card with a confirmed manual-capture PaymentIntent.
// The row is written (AUTHORIZING) before Stripe is called, so a crash in between leaves a
// trace that the next attempt, or a void, settles with the same idempotency key.
import { paymentMismatch, paymentVoided } from './errors';
import { documentOf, type PaymentDeps } from './deps';
import type { AuthorizeInput, PaymentDocument } from './payment';
import { recordedRejection, settleAuthorization } from './settle';

export interface AuthorizeResult {
  payment: PaymentDocument;
  /** True when this request settled the authorization; false for an answer already known. */
  created: boolean;
}

export async function authorizePayment(
  deps: PaymentDeps,
  input: AuthorizeInput,
  idempotencyKey: string,
): Promise<AuthorizeResult> {
  const inserted = await deps.repo.insertAuthorizing(input, idempotencyKey);
  const payment = inserted ?? (await deps.repo.find(input.orderId));
  if (!payment) throw new Error(`payment of order ${input.orderId} neither inserted nor found`);
  if (!inserted) {
    // The order id is the natural key: one payment per order, whatever Idempotency-Key the
    // retry carries. A tombstone means the order was already compensated.
    if (payment.status === 'VOIDED' && payment.paymentIntentId === null) throw paymentVoided(input.orderId);
    if (
      payment.amount !== input.amount ||
      payment.currency !== input.currency ||
      payment.paymentMethod !== input.paymentMethod
    )
      throw paymentMismatch(input.orderId);
    if (payment.status === 'VOIDED') throw paymentVoided(input.orderId);
    if (payment.status === 'DECLINED') throw recordedRejection(payment);
    if (payment.status !== 'AUTHORIZING') return { payment: await documentOf(deps, payment), created: false };
    deps.logger.info({ orderId: input.orderId }, 'settling an interrupted authorization');
  }
  const settled = await settleAuthorization(deps, payment);
  return { payment: await documentOf(deps, settled), created: true };
}
