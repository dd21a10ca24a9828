// Checks 4 and 5, on Stripe's objects alone: at most one PaymentIntent per order, and no money
// given back twice (no two succeeded refunds under one refund key, never more than was received).
import type { AuditData, CheckResult, Violation } from '../model';
import { intentsByOrder, succeededRefundsByIntent } from './stripe-money';

export function checkOnePaymentIntent(data: AuditData): CheckResult {
  const byOrder = intentsByOrder(data.intents);
  const violations: Violation[] = [];
  for (const order of data.orders) {
    const intents = byOrder.get(order.id) ?? [];
    if (intents.length > 1)
      violations.push({
        check: 'one-payment-intent',
        orderId: order.id,
        detail: `${intents.length} PaymentIntents: ${intents.map((i) => `${i.id} (${i.status}, received ${i.amountReceived})`).join(', ')}`,
      });
  }
  return { check: 'one-payment-intent', checked: data.orders.length, violations };
}

export function checkNoDoubleRefund(data: AuditData): CheckResult {
  const refunds = succeededRefundsByIntent(data.stripeRefunds);
  const violations: Violation[] = [];
  for (const intent of data.intents) {
    const add = (detail: string) =>
      violations.push({
        check: 'no-double-refund',
        ...(intent.orderId ? { orderId: intent.orderId } : {}),
        detail,
      });
    const mine = refunds.get(intent.id) ?? [];
    const total = mine.reduce((sum, r) => sum + r.amount, 0);
    if (total > intent.amountReceived)
      add(
        `${intent.id}: ${mine.length} refunds total ${total}, more than the ${intent.amountReceived} received`,
      );
    const byKey = new Map<string, string[]>();
    // The refund key travels in metadata once the payment service sends it; older refunds lack it.
    for (const refund of mine)
      if (refund.refundKey) byKey.set(refund.refundKey, [...(byKey.get(refund.refundKey) ?? []), refund.id]);
    for (const [key, ids] of byKey)
      if (ids.length > 1)
        add(`${intent.id}: refund key ${key} refunded ${ids.length} times (${ids.join(', ')})`);
  }
  return { check: 'no-double-refund', checked: data.intents.length, violations };
}
