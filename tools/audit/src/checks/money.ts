// Check 3: money per finished order. What Stripe kept (captured − succeeded refunds, over all of
// the order's PaymentIntents) must equal what the order record says it kept (total − refunded
// for COMPLETED, nothing for FAILED or CANCELLED) and what the payments table says.
import { isTerminal, type AuditData, type CheckResult, type Violation } from '../model';
import { stripeMoneyByOrder } from './stripe-money';

export function checkMoney(data: AuditData): CheckResult {
  const violations: Violation[] = [];
  const stripe = stripeMoneyByOrder(data);
  const payments = new Map(data.payments.map((p) => [p.orderId, p]));
  let checked = 0;
  for (const order of data.orders) {
    if (!isTerminal(order.status)) continue;
    checked++;
    const add = (detail: string) => violations.push({ check: 'money', orderId: order.id, detail });
    const atStripe = stripe.get(order.id) ?? { captured: 0, refunded: 0 };
    const stripeNet = atStripe.captured - atStripe.refunded;
    const recordNet = order.status === 'COMPLETED' ? order.total - order.refunded : 0;
    const stripeText = `Stripe captured ${atStripe.captured} and refunded ${atStripe.refunded}`;

    if (stripeNet !== recordNet)
      add(
        `${stripeText} (nets ${stripeNet}); the ${order.status} order record nets ${recordNet} (total ${order.total}, refunded ${order.refunded})`,
      );
    else if (order.refunded !== atStripe.refunded)
      add(`the order record says ${order.refunded} refunded; ${stripeText}`);

    const payment = payments.get(order.id);
    const paid = { captured: payment?.captured ?? 0, refunded: payment?.refunded ?? 0 };
    if (paid.captured !== atStripe.captured || paid.refunded !== atStripe.refunded)
      add(
        `the payments record (${payment ? payment.status : 'none'}) says captured ${paid.captured}, refunded ${paid.refunded} (nets ${paid.captured - paid.refunded}); ${stripeText} (nets ${stripeNet})`,
      );
  }
  return { check: 'money', checked, violations };
}
