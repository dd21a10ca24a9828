// The payment service's records of the orders in scope: payments and their refunds.
import { readSnapshot } from './database';
import type { PaymentRecord, RefundRecord } from '../model';

interface PaymentRow {
  order_id: string;
  payment_intent_id: string | null;
  status: string;
  amount: string;
  captured: string;
  refunded: string;
}

interface RefundRow {
  idempotency_key: string;
  order_id: string;
  refund_id: string | null;
  amount: string;
  created_at: Date;
}

/** `orderIds` null: every payment (an audit without scope). */
export function readPayments(
  connectionString: string,
  orderIds: string[] | null,
): Promise<{ payments: PaymentRecord[]; refunds: RefundRecord[] }> {
  return readSnapshot('payments database', connectionString, async (client) => {
    const where = orderIds ? 'WHERE order_id = ANY($1::text[])' : '';
    const params = orderIds ? [orderIds] : [];
    const payments = await client.query<PaymentRow>(
      `SELECT order_id, payment_intent_id, status, amount, captured, refunded FROM payments ${where}`,
      params,
    );
    const refunds = await client.query<RefundRow>(
      `SELECT idempotency_key, order_id, refund_id, amount, created_at FROM refunds ${where}`,
      params,
    );
    // bigint columns arrive as strings; amounts in minor units stay far below 2^53.
    return {
      payments: payments.rows.map((r) => ({
        orderId: r.order_id,
        paymentIntentId: r.payment_intent_id,
        status: r.status,
        amount: Number(r.amount),
        captured: Number(r.captured),
        refunded: Number(r.refunded),
      })),
      refunds: refunds.rows.map((r) => ({
        idempotencyKey: r.idempotency_key,
        orderId: r.order_id,
        refundId: r.refund_id,
        amount: Number(r.amount),
        createdAt: r.created_at,
      })),
    };
  });
}
