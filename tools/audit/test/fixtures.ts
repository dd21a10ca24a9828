// A small consistent world for the pure checks: builders for each source's rows, and `world()`
// with one order per outcome, every source agreeing. Tests break one thing and look for it.
import { canonicalJson } from '../src/collect/kafka';
import type {
  AuditData,
  CheckSettings,
  MailMessage,
  OrderRecord,
  OrderStatus,
  ReservationLine,
  StripeIntent,
  StripeRefund,
  TopicMessage,
} from '../src/model';

export const NOW = new Date('2026-03-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

export const settings = (overrides: Partial<CheckSettings> = {}): CheckSettings => ({
  since: null,
  pendingRefundMinutes: 15,
  requireTerminal: false,
  stockBaseline: null,
  ...overrides,
});

export function order(id: string, status: OrderStatus, overrides: Partial<OrderRecord> = {}): OrderRecord {
  return {
    id,
    customerId: `cust-${id}`,
    customerEmail: `${id}@example.test`,
    status,
    total: 2000,
    refunded: 0,
    currency: 'eur',
    items: [{ sku: 'MUG', quantity: 2 }],
    createdAt: minutesAgo(10),
    updatedAt: minutesAgo(9),
    sagaStartedAt: minutesAgo(10),
    statusReason: null,
    ...overrides,
  };
}

export function event(orderId: string, sequence: number, type: string, data: unknown = {}): TopicMessage {
  const payload = { id: `${orderId}:${sequence}`, orderId, sequence, type, data };
  return {
    partition: 0,
    offset: String(sequence),
    orderId,
    event: { id: payload.id, type, sequence, orderId, payload: canonicalJson(payload) },
  };
}

export const mail = (eventId: string, orderId: string, type: string): MailMessage => ({
  id: `m-${eventId}-${Math.random().toString(36).slice(2)}`,
  messageId: `${eventId}@orders.local`,
  to: [`${orderId}@example.test`],
  subject: type,
  created: NOW.toISOString(),
  orderId,
  eventId,
  eventType: type,
});

export const line = (
  orderId: string,
  status: string,
  quantity = 2,
  returnedQuantity = 0,
): ReservationLine => ({
  orderId,
  status,
  createdAt: minutesAgo(10),
  sku: 'MUG',
  quantity,
  returnedQuantity,
});

export const intent = (
  id: string,
  orderId: string,
  amountReceived: number,
  status = 'succeeded',
): StripeIntent => ({
  id,
  orderId,
  status,
  amount: 2000,
  amountReceived,
  created: Math.floor(NOW.getTime() / 1000) - 600,
});

export const stripeRefund = (
  id: string,
  paymentIntentId: string,
  amount: number,
  refundKey: string | null = null,
): StripeRefund => ({
  id,
  paymentIntentId,
  amount,
  status: 'succeeded',
  created: Math.floor(NOW.getTime() / 1000) - 300,
  refundKey,
});

/**
 * done: completed, 500 refunded by support; declined: card declined; scarce: out of stock;
 * cancelled: cancelled after capture, all refunded and returned. Stock: MUG on hand 98 from a
 * baseline of 100 (done's 2 committed, cancelled's 2 returned, declined's released).
 */
export function world(): AuditData {
  const orders = [
    order('done', 'COMPLETED', { refunded: 500 }),
    order('declined', 'FAILED'),
    order('scarce', 'FAILED'),
    order('cancelled', 'CANCELLED', { refunded: 2000 }),
  ];
  const messages = [
    event('done', 1, 'OrderPlaced'),
    event('done', 2, 'OrderConfirmed'),
    event('done', 3, 'PaymentCaptured'),
    event('done', 4, 'OrderCompleted'),
    event('done', 5, 'OrderRefunded'),
    event('declined', 1, 'OrderPlaced'),
    event('declined', 2, 'OrderFailed'),
    event('scarce', 1, 'OrderPlaced'),
    event('scarce', 2, 'OrderFailed'),
    event('cancelled', 1, 'OrderPlaced'),
    event('cancelled', 2, 'OrderConfirmed'),
    event('cancelled', 3, 'PaymentCaptured'),
    event('cancelled', 4, 'OrderCompleted'),
    event('cancelled', 5, 'OrderCancelled'),
  ];
  return {
    now: NOW,
    orders,
    payments: [
      {
        orderId: 'done',
        paymentIntentId: 'pi_done',
        status: 'PARTIALLY_REFUNDED',
        amount: 2000,
        captured: 2000,
        refunded: 500,
      },
      {
        orderId: 'declined',
        paymentIntentId: 'pi_declined',
        status: 'DECLINED',
        amount: 2000,
        captured: 0,
        refunded: 0,
      },
      {
        orderId: 'cancelled',
        paymentIntentId: 'pi_cancelled',
        status: 'REFUNDED',
        amount: 2000,
        captured: 2000,
        refunded: 2000,
      },
    ],
    refunds: [
      {
        idempotencyKey: 'done:refund:r1',
        orderId: 'done',
        refundId: 're_1',
        amount: 500,
        createdAt: minutesAgo(5),
      },
      {
        idempotencyKey: 'cancelled:refund:cancellation',
        orderId: 'cancelled',
        refundId: 're_2',
        amount: 2000,
        createdAt: minutesAgo(5),
      },
    ],
    products: [{ sku: 'MUG', onHand: 98, reserved: 0 }],
    stockAdjustments: [],
    reservations: [
      line('done', 'COMMITTED'),
      line('declined', 'RELEASED'),
      line('cancelled', 'RETURNED', 2, 2),
    ],
    intents: [
      intent('pi_done', 'done', 2000),
      intent('pi_declined', 'declined', 0, 'requires_payment_method'),
      intent('pi_cancelled', 'cancelled', 2000),
    ],
    stripeRefunds: [
      stripeRefund('re_1', 'pi_done', 500, 'done:refund:r1'),
      stripeRefund('re_2', 'pi_cancelled', 2000),
    ],
    messages,
    mails: messages
      .filter((m) =>
        ['OrderCompleted', 'OrderFailed', 'OrderCancelled', 'OrderRefunded'].includes(m.event?.type ?? ''),
      )
      .map((m) => mail(m.event?.id ?? '', m.orderId ?? '', m.event?.type ?? '')),
  };
}
