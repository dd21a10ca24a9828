// What the payment domain refuses or cannot do, named by a stable machine-readable code. The
// domain says what kind of failure it is; the platform's error middleware decides how it is presented.
import { DomainError } from '@orders/platform';

/** What the payment domain refuses ('rejected', 'conflict', 'not_found') or cannot do now
 * ('unavailable': Stripe could not be reached or failed; the same request may succeed later). */
export class PaymentError extends DomainError {}

/** Codes of a refused authorization. */
export type RejectionCode = 'CARD_DECLINED' | 'PAYMENT_METHOD_INVALID' | 'PAYMENT_REJECTED';

/**
 * The card issuer or Stripe refused the authorization. Kept apart from other errors because
 * the authorize use case records it (DECLINED) before answering.
 */
export class AuthorizationRejected extends PaymentError {
  constructor(
    readonly rejection: RejectionCode,
    message: string,
    readonly declineCode: string | null,
    readonly stripeCode: string,
    readonly paymentIntentId: string | null = null,
  ) {
    super('rejected', rejection, message, { declineCode, stripeCode });
    this.name = 'AuthorizationRejected';
  }
}

/** Card errors carry a decline code; a missing payment method is the caller's to fix. */
export function rejectionFor(declineCode: string | null, stripeCode: string): RejectionCode {
  if (declineCode !== null) return 'CARD_DECLINED';
  return stripeCode === 'resource_missing' ? 'PAYMENT_METHOD_INVALID' : 'PAYMENT_REJECTED';
}

/** Stripe says the PaymentIntent is not in a state that allows the operation. */
export class ProviderStateConflict extends PaymentError {
  constructor(
    message: string,
    readonly stripeCode: string,
  ) {
    super('conflict', 'PAYMENT_PROVIDER_STATE_CONFLICT', message, { stripeCode });
    this.name = 'ProviderStateConflict';
  }
}

export const providerUnavailable = (operation: string, cause: string) =>
  new PaymentError('unavailable', 'PAYMENT_PROVIDER_UNAVAILABLE', `Stripe ${operation} failed: ${cause}`, {
    operation,
  });

/**
 * Stripe is still executing an earlier request with the same idempotency key (its 409
 * `idempotency_key_in_use`): the outcome is not known yet, so the same request is retried.
 */
export const providerBusy = (operation: string, cause: string) =>
  new PaymentError(
    'unavailable',
    'PAYMENT_PROVIDER_BUSY',
    `Stripe is still executing an earlier ${operation} with this idempotency key: ${cause}`,
    { operation },
  );

/** The request's deadline passed before another Stripe call could start; nothing was sent. */
export const deadlineExceeded = (operation: string) =>
  new PaymentError(
    'unavailable',
    'PAYMENT_DEADLINE_EXCEEDED',
    `no time left in this request to call Stripe for the ${operation}; retry`,
    { operation },
  );

export const providerRejected = (operation: string, message: string, stripeCode: string | undefined) =>
  new PaymentError('rejected', 'PAYMENT_PROVIDER_REJECTED', `Stripe refused the ${operation}: ${message}`, {
    operation,
    ...(stripeCode ? { stripeCode } : {}),
  });

export const idempotencyKeyReused = (key: string, detail: string) =>
  new PaymentError('conflict', 'IDEMPOTENCY_KEY_REUSED', detail, { idempotencyKey: key });

export const paymentNotFound = (orderId: string) =>
  new PaymentError('not_found', 'PAYMENT_NOT_FOUND', `order ${orderId} has no payment`, { orderId });

export const paymentVoided = (orderId: string) =>
  new PaymentError(
    'conflict',
    'PAYMENT_VOIDED',
    `the payment of order ${orderId} was voided; it cannot be authorized again`,
    { orderId },
  );

export const paymentNotAuthorized = (orderId: string, status: string) =>
  new PaymentError('conflict', 'PAYMENT_NOT_AUTHORIZED', `the payment of order ${orderId} is ${status}`, {
    orderId,
    paymentStatus: status,
  });

export const paymentCaptured = (orderId: string, status: string) =>
  new PaymentError(
    'conflict',
    'PAYMENT_CAPTURED',
    `the payment of order ${orderId} is ${status}; give captured money back with a refund`,
    { orderId, paymentStatus: status },
  );

export const paymentMismatch = (orderId: string) =>
  new PaymentError(
    'conflict',
    'PAYMENT_MISMATCH',
    `order ${orderId} already has a payment with a different amount, currency or payment method`,
    { orderId },
  );

export const refundExceedsCaptured = (orderId: string, requested: number, refundable: number) =>
  new PaymentError(
    'rejected',
    'REFUND_EXCEEDS_CAPTURED',
    `only ${refundable} of order ${orderId} can still be refunded, ${requested} requested`,
    { requested, refundable },
  );

/**
 * Stripe has not given a final answer on a refund (an outage, a timeout, its key still in
 * use): the amount stays reserved, and the same key retried re-sends exactly this refund.
 */
export const refundPending = (
  orderId: string,
  idempotencyKey: string,
  amount: number,
  cause: PaymentError | undefined,
) =>
  new PaymentError(
    'unavailable',
    'REFUND_PENDING',
    `the refund ${idempotencyKey} of ${amount} for order ${orderId} is pending at Stripe` +
      (cause ? `: ${cause.message}` : ''),
    {
      orderId,
      idempotencyKey,
      amount,
      refundStatus: 'pending',
      ...(cause ? { providerCode: cause.code } : {}),
    },
  );

export const refundNotFound = (orderId: string, idempotencyKey: string) =>
  new PaymentError(
    'not_found',
    'REFUND_NOT_FOUND',
    `order ${orderId} has no refund with key ${idempotencyKey}`,
    { orderId, idempotencyKey },
  );

/** A capture may still be landing at Stripe; only a compensation may fence it (see capture-fence). */
export const captureInFlight = (orderId: string) =>
  new PaymentError(
    'unavailable',
    'PAYMENT_CAPTURE_IN_FLIGHT',
    `the capture of order ${orderId} has not settled yet; retry`,
    { orderId },
  );

/** Refunds Stripe has not confirmed yet keep the payment from being fully given back. */
export const refundsStillPending = (orderId: string, pending: number) =>
  new PaymentError(
    'unavailable',
    'REFUND_PENDING',
    `order ${orderId} has ${pending} refund(s) pending at Stripe; retry`,
    { orderId, pendingRefunds: pending, refundStatus: 'pending' },
  );

/**
 * Whether Stripe said no for good to the request itself (a 4xx invalid request or card
 * error), as opposed to an answer that leaves the outcome unknown (5xx, 429, a timeout, a
 * reset, a key in use) or an idempotency conflict (an earlier request under the key may
 * well have taken effect). Only a definitive refusal may release what was reserved for it.
 */
export function isDefinitiveRefusal(err: unknown): err is PaymentError {
  return (
    err instanceof AuthorizationRejected ||
    err instanceof ProviderStateConflict ||
    (err instanceof PaymentError && err.code === 'PAYMENT_PROVIDER_REJECTED')
  );
}
