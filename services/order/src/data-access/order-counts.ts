// Orders per status for the support console's live counts, under the same filters as the list.
import type { Pool } from '@orders/platform';
import type { OrderRecordStatus } from '../domain/order';

export interface OrderCountFilter {
  customerId?: string;
  from?: Date;
  to?: Date;
}

export const ORDER_STATUSES: OrderRecordStatus[] = [
  'PENDING',
  'CONFIRMED',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
];

export function orderCounts(pool: Pool) {
  return async (filter: OrderCountFilter): Promise<Record<OrderRecordStatus, number>> => {
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.customerId !== undefined) where.push(`customer_id = ${param(filter.customerId)}`);
    if (filter.from !== undefined) where.push(`created_at >= ${param(filter.from)}`);
    if (filter.to !== undefined) where.push(`created_at < ${param(filter.to)}`);
    const { rows } = await pool.query<{ status: OrderRecordStatus; count: string }>(
      `SELECT status, count(*) AS count FROM orders
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       GROUP BY status`,
      params,
    );
    const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderRecordStatus, number>;
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  };
}

export type OrderCountsReader = ReturnType<typeof orderCounts>;
