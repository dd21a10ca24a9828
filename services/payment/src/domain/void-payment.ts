// Void, the compensation of authorize: release the hold on the card. Harmless whatever
// happened before: no payment leaves a tombstone that refuses a late authorize, a declined or
// voided payment is a no-op, and an interrupted authorization or capture is settled first.
import { AuthorizationRejected, PaymentError, ProviderStateConflict, paymentCaptured } from './errors';
import type { IntentSnapshot } from './gateway';
import { documentOf, reread, type PaymentDeps } from './deps';
import type { Payment, PaymentDocument } from './payment';
import { reconcileCapture, settleAuthorization } from './settle';

const MAX_PASSES = 5;

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
        throw paymentCaptured(orderId, payment.status);
      case 'AUTHORIZING':
        await settleAuthorization(deps, payment).catch((err: unknown) => {
          if (!(err instanceof AuthorizationRejected)) throw err;
        });
        break;
      case 'CAPTURING':
        await reconcileCapture(deps, payment);
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
  if (intent.status === 'canceled')
    return (
      (await deps.repo.transition(orderId, ['AUTHORIZED'], { status: 'VOIDED' })) ?? reread(deps, orderId)
    );
  if (intent.status === 'succeeded') {
    await deps.repo.transition(orderId, ['AUTHORIZED'], {
      status: 'CAPTURED',
      captured: intent.amountReceived,
    });
    return undefined;
  }
  throw new ProviderStateConflict(
    `the payment intent of order ${orderId} is ${intent.status}`,
    intent.status,
  );
}
