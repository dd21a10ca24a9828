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
    refunds: refunds
      .filter((r) => r.refundId !== null)
      .map((r) => ({
        refundId: r.refundId,
        amount: r.amount,
        reason: r.reason,
        createdAt: r.createdAt.toISOString(),
      })),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

export type PaymentDocument = ReturnType<typeof describePayment>;

export function statusAfterRefunds(captured: number, refunded: number): PaymentStatus {
  if (refunded <= 0) return 'CAPTURED';
  return refunded >= captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}
