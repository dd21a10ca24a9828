// What the payment use cases work with, and the Payment document they answer with.
import type { Logger } from '@orders/platform';
import type { PaymentsRepository } from '../data-access/payments-repository';
import type { PaymentGateway } from './gateway';
import { describePayment, type Payment, type PaymentDocument } from './payment';

export interface PaymentDeps {
  repo: PaymentsRepository;
  /** Bound to the request's deadline by the router (PAYMENT_REQUEST_DEADLINE_MS). */
  gateway: PaymentGateway;
  logger: Logger;
  /** REFUND_LOOKUP_AFTER_MS: a pending refund older than this is looked up before a re-send. */
  refundLookupAfterMs: number;
}

export async function documentOf(deps: PaymentDeps, payment: Payment): Promise<PaymentDocument> {
  return describePayment(payment, await deps.repo.refunds(payment.orderId));
}

/** Re-reads a payment another request changed under us; it cannot vanish (rows are never deleted). */
export async function reread(deps: PaymentDeps, orderId: string): Promise<Payment> {
  const payment = await deps.repo.find(orderId);
  if (!payment) throw new Error(`payment of order ${orderId} disappeared`);
  return payment;
}
