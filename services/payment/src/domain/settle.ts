// Resolving uncertainty by asking Stripe. A payment left AUTHORIZING or CAPTURING means a call
// whose outcome we never learned (a timeout, a crash, a 5xx after the effect): Stripe knows,
// so we re-send the same request with the same idempotency key, or read the intent, and record
// what actually happened before deciding anything else.
import { AuthorizationRejected, rejectionFor } from './errors';
import type { IntentSnapshot } from './gateway';
import { reread, type PaymentDeps } from './deps';
import type { Payment } from './payment';

/** The answer a refused authorization got, rebuilt from what was recorded. */
export function recordedRejection(payment: Payment): AuthorizationRejected {
  const stripeCode = payment.failureCode ?? 'card_declined';
  const rejection = rejectionFor(payment.declineCode, stripeCode);
  const message =
    rejection === 'CARD_DECLINED'
      ? `the card was declined (${payment.declineCode ?? stripeCode})`
      : `Stripe refused the payment method or request (${stripeCode})`;
  return new AuthorizationRejected(
    rejection,
    message,
    payment.declineCode,
    stripeCode,
    payment.paymentIntentId,
  );
}

/**
 * Creates and confirms the intent of an AUTHORIZING payment with its stored parameters and
 * authorize key, and records AUTHORIZED or DECLINED. Throws the rejection for a decline; a
 * Stripe outage propagates and leaves the payment AUTHORIZING for the next attempt.
 */
export async function settleAuthorization(deps: PaymentDeps, payment: Payment): Promise<Payment> {
  const { orderId } = payment;
  let intent: IntentSnapshot;
  try {
    intent = await deps.gateway.authorize(
      {
        orderId,
        customerId: payment.customerId ?? '',
        amount: payment.amount,
        currency: payment.currency ?? '',
        paymentMethod: payment.paymentMethod ?? '',
      },
      payment.authorizeKey ?? orderId,
    );
  } catch (err) {
    if (!(err instanceof AuthorizationRejected)) throw err;
    return recordRejection(deps, payment, err);
  }
  if (intent.status !== 'requires_capture') {
    // e.g. requires_action: a card demanding 3-D Secure cannot be authorized server-side.
    const declineCode =
      intent.status === 'requires_action' ? 'authentication_required' : 'payment_not_authorized';
    return recordRejection(
      deps,
      payment,
      new AuthorizationRejected(
        'CARD_DECLINED',
        `the payment intent is ${intent.status}`,
        declineCode,
        intent.status,
        intent.id,
      ),
    );
  }
  const authorized = await deps.repo.transition(orderId, ['AUTHORIZING'], {
    status: 'AUTHORIZED',
    paymentIntentId: intent.id,
  });
  return authorized ?? reread(deps, orderId);
}

async function recordRejection(
  deps: PaymentDeps,
  payment: Payment,
  err: AuthorizationRejected,
): Promise<never> {
  const declined = await deps.repo.transition(payment.orderId, ['AUTHORIZING'], {
    status: 'DECLINED',
    paymentIntentId: err.paymentIntentId,
    declineCode: err.declineCode,
    failureCode: err.stripeCode,
  });
  deps.logger.info(
    { orderId: payment.orderId, declineCode: err.declineCode, stripeCode: err.stripeCode },
    'authorization declined',
  );
  throw recordedRejection(declined ?? (await reread(deps, payment.orderId)));
}

/**
 * Records what Stripe says about the intent of a CAPTURING payment: captured, or canceled.
 * `requires_capture` proves nothing — a capture may still be in flight and land a moment
 * later — so it leaves the payment CAPTURING (see capture-fence.ts for how that is settled).
 */
export async function recordCaptureOutcome(
  deps: PaymentDeps,
  payment: Payment,
  intent: IntentSnapshot,
): Promise<Payment> {
  const from = ['CAPTURING'] as const;
  let changed: Payment | undefined;
  if (intent.status === 'succeeded')
    changed = await deps.repo.transition(payment.orderId, from, {
      status: 'CAPTURED',
      captured: intent.amountReceived,
    });
  else if (intent.status === 'canceled')
    changed = await deps.repo.transition(payment.orderId, from, { status: 'VOIDED' });
  return changed ?? reread(deps, payment.orderId);
}

/** Reads the intent of a payment in CAPTURING and records it if it is final (never un-captures). */
export async function reconcileCapture(deps: PaymentDeps, payment: Payment): Promise<Payment> {
  if (!payment.paymentIntentId)
    throw new Error(`payment of order ${payment.orderId} is CAPTURING without an intent`);
  const intent = await deps.gateway.retrieve(payment.paymentIntentId);
  deps.logger.info(
    { orderId: payment.orderId, intentStatus: intent.status },
    'reconciled an interrupted capture',
  );
  return recordCaptureOutcome(deps, payment, intent);
}
