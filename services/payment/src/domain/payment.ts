// The payment of one order and the refunds against it, as the service stores and shows them.

export const PAYMENT_STATUSES = [
  /** Stripe is being asked to authorize; the outcome is not known yet (or the call crashed). */
  'AUTHORIZING',
  'AUTHORIZED',
  'DECLINED',
  /** Stripe is being asked to capture; the outcome is not known yet. */
  'CAPTURING',
  'CAPTURED',
  'VOIDED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
] as const;

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Statuses in which money was taken from the customer (some of it may be refunded). */
export const CAPTURED_STATUSES: readonly PaymentStatus[] = ['CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

export interface Payment {
  orderId: string;
  paymentIntentId: string | null;
  status: PaymentStatus;
  amount: number;
  /** Null only on a void tombstone, which never knew the order's currency. */
  currency: string | null;
  captured: number;
  refunded: number;
  paymentMethod: string | null;
  customerId: string | null;
  declineCode: string | null;
  failureCode: string | null;
  authorizeKey: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Refund {
  idempotencyKey: string;
  orderId: string;
  /** Null while the refund is reserved but Stripe has not confirmed it. */
  refundId: string | null;
  amount: number;
  reason: string | null;
  createdAt: Date;
}

export interface AuthorizeInput {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
}

/**
 * A refund is pending while Stripe has not confirmed it (its reservation still holds the
 * amount), succeeded once Stripe has. A refund Stripe refused is released and not listed.
 */
export type RefundStatus = 'pending' | 'succeeded';

export const refundStatus = (refund: Refund): RefundStatus => (refund.refundId ? 'succeeded' : 'pending');

/** The Payment document of the API. */
export function describePayment(payment: Payment, refunds: Refund[]) {
  return {
    orderId: payment.orderId,
    paymentIntentId: payment.paymentIntentId,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    captured: payment.captured,
    refunded: payment.refunded,
    ...(payment.declineCode ? { declineCode: payment.declineCode } : {}),
    /** Held by refunds Stripe has not confirmed; not part of `refunded` until it does. */
    refundPending: refunds.filter((r) => r.refundId === null).reduce((sum, r) => sum + r.amount, 0),
    refunds: refunds.map((r) => ({
      idempotencyKey: r.idempotencyKey,
      refundId: r.refundId,
      status: refundStatus(r),
      amount: r.amount,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
    })),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

export type PaymentDocument = ReturnType<typeof describePayment>;
