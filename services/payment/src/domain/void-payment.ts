// Void, the compensation of authorize: release the hold on the card — and, since it is the
// last word on the payment, make sure nothing stays captured. Harmless whatever happened
// before: no payment leaves a tombstone that refuses a late authorize, a declined or voided
// payment is a no-op, an interrupted authorization is settled first, an unsettled capture is
// fenced, and money that was captured after all (a capture that landed after its refund
// compensation ran) is refunded. Every void ends with captured − refunded = 0, or a 503.
import { AuthorizationRejected, PaymentError, ProviderStateConflict, refundsStillPending } from './errors';
import type { IntentSnapshot } from './gateway';
import { carryOutRefund } from './carry-out-refund';
import { fenceCapture } from './capture-fence';
import { documentOf, reread, type PaymentDeps } from './deps';
import type { Payment, PaymentDocument, Refund } from './payment';
import { refundPayment } from './refund-payment';
import { settleAuthorization } from './settle';

const MAX_PASSES = 6;

export async function voidPayment(
  deps: PaymentDeps,
  orderId: string,
  idempotencyKey: string,
): Promise<PaymentDocument> {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const payment = await deps.repo.find(orderId);
    if (!payment) {
      const tombstone = await deps.repo.insertTombstone(orderId);
      if (tombstone) return documentOf(deps, tombstone);
      continue; // an authorize inserted its row meanwhile: void that
    }
    switch (payment.status) {
      // Nothing is held: never authorized, already released, or all captured money given back.
      case 'VOIDED':
      case 'DECLINED':
      case 'REFUNDED':
        return documentOf(deps, payment);
      case 'CAPTURED':
      case 'PARTIALLY_REFUNDED':
        await refundTheRest(deps, payment);
        break;
      case 'AUTHORIZING':
        await settleAuthorization(deps, payment).catch((err: unknown) => {
          if (!(err instanceof AuthorizationRejected)) throw err;
        });
        break;
      case 'CAPTURING':
        await fenceCapture(deps, payment);
        break;
      case 'AUTHORIZED': {
        const voided = await cancelAtStripe(deps, payment, idempotencyKey);
        if (voided) return documentOf(deps, voided);
        break;
      }
    }
  }
  throw new PaymentError(
    'unavailable',
    'PAYMENT_BUSY',
    `the payment of order ${orderId} kept changing; retry`,
  );
}

/**
 * Refunds what is still captured: first the refunds already pending (re-asked with their own
 * keys, so none is made twice), then the remainder under the void's own key.
 */
async function refundTheRest(deps: PaymentDeps, payment: Payment): Promise<void> {
  const refunds = await deps.repo.refunds(payment.orderId);
  const pending = refunds.filter((r) => r.refundId === null);
  for (const refund of pending) await carryOutRefund(deps, payment, refund);
  const settled = await reread(deps, payment.orderId);
  const left = settled.captured - settled.refunded - (await deps.repo.reservedRefunds(payment.orderId));
  if (left > 0) {
    await refundPayment(deps, payment.orderId, voidRefundKey(payment.orderId, refunds, settled), {
      reason: 'payment voided after capture',
    });
    return;
  }
  const stillPending = (await deps.repo.refunds(payment.orderId)).filter((r) => r.refundId === null);
  if (stillPending.length > 0) throw refundsStillPending(payment.orderId, stillPending.length);
}

/**
 * `<orderId>:refund:void`, the same on every retry. Only if that refund is done and money is
 * still captured (a pending refund was refused and released since) does the next one get a
 * key of its own, named by the amount refunded before it (stable across retries too).
 */
function voidRefundKey(orderId: string, refunds: Refund[], payment: Payment): string {
  const key = `${orderId}:refund:void`;
  const done = refunds.find((r) => r.idempotencyKey === key && r.refundId !== null);
  return done ? `${key}:${payment.refunded}` : key;
}

/** The VOIDED payment, or undefined when the intent turned out to be captured (re-dispatch). */
async function cancelAtStripe(deps: PaymentDeps, payment: Payment, idempotencyKey: string) {
  const { orderId } = payment;
  const intentId = payment.paymentIntentId;
  if (!intentId) throw new Error(`payment of order ${orderId} is AUTHORIZED without an intent`);
  let intent: IntentSnapshot;
  try {
    intent = await deps.gateway.cancel(intentId, idempotencyKey);
  } catch (err) {
    // Canceled or captured already (an earlier attempt, another key): read what it is.
    if (!(err instanceof ProviderStateConflict)) throw err;
    intent = await deps.gateway.retrieve(intentId);
  }
  // A capture request may have moved the payment to CAPTURING meanwhile; Stripe's answer is
  // the truth either way.
  const from = ['AUTHORIZED', 'CAPTURING'] as const;
  if (intent.status === 'canceled')
    return (await deps.repo.transition(orderId, from, { status: 'VOIDED' })) ?? reread(deps, orderId);
  if (intent.status === 'succeeded') {
    await deps.repo.transition(orderId, from, { status: 'CAPTURED', captured: intent.amountReceived });
    return undefined;
  }
  throw new ProviderStateConflict(
    `the payment intent of order ${orderId} is ${intent.status}`,
    intent.status,
  );
}
