import { paymentNotFound } from './errors';
import { documentOf, type PaymentDeps } from './deps';
import type { PaymentDocument } from './payment';

export async function getPayment(deps: PaymentDeps, orderId: string): Promise<PaymentDocument> {
  const payment = await deps.repo.find(orderId);
  if (!payment) throw paymentNotFound(orderId);
  return documentOf(deps, payment);
}
