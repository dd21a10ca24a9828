// The order service's records in scope: created at/after `since`, customers by prefix.
import { readSnapshot } from './database';
import type { OrderRecord, OrderStatus } from '../model';

export interface OrderScope {
  since: Date | null;
  customerPrefix: string | null;
}

interface Row {
  id: string;
  customer_id: string;
  customer_email: string;
  status: OrderStatus;
  total: number;
  refunded: number;
  currency: string;
  items: { sku: string; quantity: number }[];
  created_at: Date;
  updated_at: Date;
  saga_started_at: Date | null;
  status_reason: string | null;
}

export function readOrders(connectionString: string, scope: OrderScope): Promise<OrderRecord[]> {
  return readSnapshot('orders database', connectionString, async (client) => {
    const { rows } = await client.query<Row>(
      `SELECT id::text, customer_id, customer_email, status, total, refunded, currency, items,
              created_at, updated_at, saga_started_at, status_reason
       FROM orders
       WHERE ($1::timestamptz IS NULL OR created_at >= $1)
         AND ($2::text IS NULL OR starts_with(customer_id, $2))
       ORDER BY created_at, id`,
      [scope.since, scope.customerPrefix],
    );
    return rows.map((r) => ({
      id: r.id,
      customerId: r.customer_id,
      customerEmail: r.customer_email,
      status: r.status,
      total: r.total,
      refunded: r.refunded,
      currency: r.currency.trim().toLowerCase(),
      items: r.items.map((i) => ({ sku: i.sku, quantity: i.quantity })),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      sagaStartedAt: r.saga_started_at,
      statusReason: r.status_reason,
    }));
  });
}
