// The payment participant. Every call carries an idempotency key derived from the order id and
// step; the payment service hands it to Stripe, so a retried activity never charges twice.
import type { ParticipantClients } from './service-client';

interface Payment {
  paymentIntentId: string;
  status: string;
  amount: number;
  captured: number;
  refunded: number;
}

export interface AuthorizeRequest {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
}

export function paymentActivities({ forward: payment, compensation: undo }: ParticipantClients) {
  const path = (orderId: string, action: string) => `/v1/payments/${encodeURIComponent(orderId)}/${action}`;
  return {
    async authorizePayment(request: AuthorizeRequest): Promise<{ paymentIntentId: string; amount: number }> {
      const result = await payment.request<Payment>('POST', '/v1/payments/authorize', {
        body: request,
        idempotencyKey: `${request.orderId}:authorize`,
      });
      return { paymentIntentId: result.paymentIntentId, amount: result.amount };
    },

    async capturePayment(orderId: string): Promise<{ paymentIntentId: string; captured: number }> {
      const result = await payment.request<Payment>('POST', path(orderId, 'capture'), {
        idempotencyKey: `${orderId}:capture`,
      });
      return { paymentIntentId: result.paymentIntentId, captured: result.captured };
    },

    /**
     * Undo of authorize; harmless when nothing was authorized (the service leaves a tombstone).
     * A capture that landed after all is refunded by the service: the totals say what moved.
     */
    async voidPayment(orderId: string): Promise<{ captured: number; refunded: number }> {
      const result = await undo.request<Payment>('POST', path(orderId, 'void'), {
        idempotencyKey: `${orderId}:void`,
      });
      return { captured: result.captured ?? 0, refunded: result.refunded ?? 0 };
    },

    /** A support refund: a refusal (e.g. more than is refundable) is a business failure, not retried. */
    async issueRefund(
      orderId: string,
      refund: { key: string; amount: number; reason: string },
    ): Promise<{ amount: number }> {
      const result = await payment.request<{ amount: number }>('POST', path(orderId, 'refunds'), {
        body: { amount: refund.amount, reason: refund.reason },
        idempotencyKey: refund.key,
      });
      return { amount: result.amount };
    },

    /** Without an amount, refunds whatever is still captured — zero when capture never happened. */
    async refundPayment(
      orderId: string,
      refund: { key: string; amount?: number; reason: string },
    ): Promise<{ amount: number }> {
      const result = await undo.request<{ amount: number }>('POST', path(orderId, 'refunds'), {
        body: { amount: refund.amount, reason: refund.reason },
        idempotencyKey: refund.key,
      });
      return { amount: result.amount };
    },
  };
}
