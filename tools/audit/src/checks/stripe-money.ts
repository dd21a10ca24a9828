// Stripe's side of an order's money: its PaymentIntents by `metadata.orderId`, and what each
// captured and had refunded. Only succeeded refunds moved money.
import type { AuditData, StripeIntent, StripeRefund } from '../model';

export function intentsByOrder(intents: StripeIntent[]): Map<string, StripeIntent[]> {
  const byOrder = new Map<string, StripeIntent[]>();
  for (const intent of intents) {
    if (!intent.orderId) continue;
    byOrder.set(intent.orderId, [...(byOrder.get(intent.orderId) ?? []), intent]);
  }
  return byOrder;
}

export function succeededRefundsByIntent(refunds: StripeRefund[]): Map<string, StripeRefund[]> {
  const byIntent = new Map<string, StripeRefund[]>();
  for (const refund of refunds) {
    if (refund.status !== 'succeeded' || !refund.paymentIntentId) continue;
    byIntent.set(refund.paymentIntentId, [...(byIntent.get(refund.paymentIntentId) ?? []), refund]);
  }
  return byIntent;
}

export function stripeMoneyByOrder(
  data: Pick<AuditData, 'intents' | 'stripeRefunds'>,
): Map<string, { captured: number; refunded: number }> {
  const refunds = succeededRefundsByIntent(data.stripeRefunds);
  const money = new Map<string, { captured: number; refunded: number }>();
  for (const [orderId, intents] of intentsByOrder(data.intents)) {
    let captured = 0;
    let refunded = 0;
    for (const intent of intents) {
      captured += intent.amountReceived;
      for (const refund of refunds.get(intent.id) ?? []) refunded += refund.amount;
    }
    money.set(orderId, { captured, refunded });
  }
  return money;
}
