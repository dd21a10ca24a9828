// Stock adjustments by key: what each one did, so a retry answers the same and applies nothing.
import type { StockAdjustment } from '../domain/model';
import type { Queryable } from '@orders/platform';

interface AdjustmentRow {
  sku: string;
  idempotency_key: string;
  delta: number;
  reason: string;
  on_hand_after: number;
  created_at: Date;
}

const toAdjustment = (row: AdjustmentRow): StockAdjustment => ({
  sku: row.sku,
  idempotencyKey: row.idempotency_key,
  delta: row.delta,
  reason: row.reason,
  onHandAfter: row.on_hand_after,
  createdAt: row.created_at,
});

/** Stock adjustments, on the pool or inside one transaction (`db`). */
export function createStockAdjustmentsRepository(db: Queryable) {
  return {
    async findAdjustment(sku: string, idempotencyKey: string): Promise<StockAdjustment | undefined> {
      const { rows } = await db.query<AdjustmentRow>(
        'SELECT * FROM stock_adjustments WHERE sku = $1 AND idempotency_key = $2',
        [sku, idempotencyKey],
      );
      return rows[0] && toAdjustment(rows[0]);
    },

    async insertAdjustment(entry: Omit<StockAdjustment, 'createdAt'>): Promise<StockAdjustment> {
      const { rows } = await db.query<AdjustmentRow>(
        `INSERT INTO stock_adjustments (sku, idempotency_key, delta, reason, on_hand_after)
         VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [entry.sku, entry.idempotencyKey, entry.delta, entry.reason, entry.onHandAfter],
      );
      if (!rows[0])
        throw new Error(`stock adjustment ${entry.idempotencyKey} of ${entry.sku} was not stored`);
      return toAdjustment(rows[0]);
    },
  };
}

export type StockAdjustmentsRepository = ReturnType<typeof createStockAdjustmentsRepository>;
