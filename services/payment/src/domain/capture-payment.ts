// Capture: take the authorized amount. CAPTURING is written before Stripe is called; a repeat
// finds CAPTURED and answers without a second Stripe call, and a payment stuck in CAPTURING
// re-sends the capture (Stripe replays it for the same key) or reads the intent.
import {
  AuthorizationRejected,
  PaymentError,
  ProviderStateConflict,
  paymentNotAuthorized,
  paymentNotFound,
} from './errors';
import { documentOf, reread, type PaymentDeps } from './deps';
import { CAPTURED_STATUSES, type Payment, type PaymentDocument } from './payment';
import { recordCaptureOutcome, settleAuthorization } from './settle';

/** Each pass moves the payment at least one step, so a few suffice even when requests race. */
const MAX_PASSES = 5;

export async function capturePayment(
  deps: PaymentDeps,
  orderId: string,
  idempotencyKey: string,
): Promise<PaymentDocument> {
  let payment = await deps.repo.find(orderId);
  if (!payment) throw paymentNotFound(orderId);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    if (CAPTURED_STATUSES.includes(payment.status)) return documentOf(deps, payment);
    switch (payment.status) {
      case 'VOIDED':
      case 'DECLINED':
        throw paymentNotAuthorized(orderId, payment.status);
      case 'AUTHORIZING':
        payment = await settleOrRefuse(deps, payment);
        break;
      case 'AUTHORIZED':
        payment =
          (await deps.repo.transition(orderId, ['AUTHORIZED'], { status: 'CAPTURING' })) ??
          (await reread(deps, orderId));
        break;
      case 'CAPTURING':
        payment = await captureAtStripe(deps, payment, idempotencyKey);
        break;
    }
  }
  throw new PaymentError(
    'unavailable',
    'PAYMENT_BUSY',
    `the payment of order ${orderId} kept changing; retry`,
  );
}

async function settleOrRefuse(deps: PaymentDeps, payment: Payment): Promise<Payment> {
  try {
    return await settleAuthorization(deps, payment);
  } catch (err) {
    if (err instanceof AuthorizationRejected) throw paymentNotAuthorized(payment.orderId, 'DECLINED');
    throw err;
  }
}

async function captureAtStripe(
  deps: PaymentDeps,
  payment: Payment,
  idempotencyKey: string,
): Promise<Payment> {
  const intentId = payment.paymentIntentId;
  if (!intentId) throw new Error(`payment of order ${payment.orderId} is CAPTURING without an intent`);
  try {
    return await recordCaptureOutcome(deps, payment, await deps.gateway.capture(intentId, idempotencyKey));
  } catch (err) {
    // Captured or canceled already (an earlier attempt under another key): record the truth.
    if (!(err instanceof ProviderStateConflict)) throw err;
    const settled = await recordCaptureOutcome(deps, payment, await deps.gateway.retrieve(intentId));
    if (settled.status === 'CAPTURING') throw err;
    return settled;
  }
}
