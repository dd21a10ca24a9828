// What the payment domain needs from a card processor. The Stripe adapter implements it; its
// errors are the domain's (AuthorizationRejected, ProviderStateConflict, PaymentError).
import type { Deadline } from './deadline';
import type { AuthorizeInput } from './payment';

/** The parts of a PaymentIntent the domain decides on. */
export interface IntentSnapshot {
  id: string;
  status: string;
  amount: number;
  amountCapturable: number;
  amountReceived: number;
}

export interface RefundInput {
  paymentIntentId: string;
  orderId: string;
  amount: number;
  reason: string | null;
  /** Our idempotency key, also stored in the refund's metadata so the refund can be found. */
  refundKey: string;
}

/** A refund as Stripe reports it. `failed` and `canceled` mean the money did not move. */
export interface RefundSnapshot {
  refundId: string;
  amount: number;
  status: string;
}

/**
 * Every mutating call takes the caller's idempotency key, so a repeated call (a retry, or
 * the settling of an interrupted one) is answered from the first instead of acting twice.
 */
export interface PaymentGateway {
  /** Creates and confirms a manual-capture PaymentIntent holding `amount` on the card. */
  authorize(input: AuthorizeInput, idempotencyKey: string): Promise<IntentSnapshot>;
  capture(paymentIntentId: string, idempotencyKey: string): Promise<IntentSnapshot>;
  cancel(paymentIntentId: string, idempotencyKey: string): Promise<IntentSnapshot>;
  retrieve(paymentIntentId: string): Promise<IntentSnapshot>;
  refund(input: RefundInput, idempotencyKey: string): Promise<RefundSnapshot>;
  /**
   * The intent's refund made under `refundKey` (from the refunds' metadata), if Stripe has
   * one: the answer that survives Stripe forgetting idempotency keys after 24 hours.
   */
  findRefund(paymentIntentId: string, refundKey: string): Promise<RefundSnapshot | undefined>;
  /** The same gateway, whose calls all finish within `deadline`. */
  within(deadline: Deadline): PaymentGateway;
}
