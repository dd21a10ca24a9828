// The exact parameters the service sends to Stripe, in one place: the adapter sends them, and
// the emulator's conformance test sends the same ones to stripe-mock to prove Stripe accepts
// their shape.
import type Stripe from 'stripe';
import type { RefundInput } from '../../domain/gateway';
import type { AuthorizeInput } from '../../domain/payment';

/**
 * A confirmed manual-capture PaymentIntent. `allow_redirects: 'never'` keeps redirect-based
 * methods out, so a server-side confirmation needs no `return_url` (this shape is valid in
 * every API version since 2023, unlike `payment_method_types`, which the SDK's current
 * version renamed). The customer id is ours, not a Stripe Customer, so it travels as metadata.
 */
export const authorizeParams = (input: AuthorizeInput): Stripe.PaymentIntentCreateParams => ({
  amount: input.amount,
  currency: input.currency,
  capture_method: 'manual',
  confirm: true,
  payment_method: input.paymentMethod,
  automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
  metadata: { orderId: input.orderId, customerId: input.customerId },
});

/** The whole authorized amount; the saga never captures less than it authorized. */
export const captureParams = (): Stripe.PaymentIntentCaptureParams => ({});

export const cancelParams = (): Stripe.PaymentIntentCancelParams => ({ cancellation_reason: 'abandoned' });

/**
 * Stripe's `reason` is an enum; the free-text reason travels as metadata (values up to 500
 * chars). `refundKey` is our idempotency key: a refund whose answer was lost is found again in
 * the intent's refunds by it, even after Stripe has forgotten the key itself (24 h).
 */
export const refundParams = (input: RefundInput): Stripe.RefundCreateParams => ({
  payment_intent: input.paymentIntentId,
  amount: input.amount,
  metadata: {
    orderId: input.orderId,
    refundKey: input.refundKey,
    ...(input.reason ? { reason: input.reason } : {}),
  },
});
