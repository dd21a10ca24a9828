// The inventory service's stock of the SKUs in scope, every reservation line and every stock
// adjustment of those SKUs, read in one snapshot so the counters and what moved them agree in time.
import { readSnapshot } from './database';
import type { ProductStock, ReservationLine, StockAdjustmentLine } from '../model';

/** `skus` null: every product (an audit without scope). */
export function readInventory(
  connectionString: string,
  skus: string[] | null,
): Promise<{
  products: ProductStock[];
  reservations: ReservationLine[];
  stockAdjustments: StockAdjustmentLine[];
}> {
  return readSnapshot('inventory database', connectionString, async (client) => {
    const params = skus ? [skus] : [];
    const products = await client.query<{ sku: string; on_hand: number; reserved: number }>(
      `SELECT sku, on_hand, reserved FROM products ${skus ? 'WHERE sku = ANY($1::text[])' : ''} ORDER BY sku`,
      params,
    );
    const lines = await client.query<{
      order_id: string;
      status: string;
      created_at: Date;
      sku: string;
      quantity: number;
      returned_quantity: number;
    }>(
      `SELECT r.order_id, r.status, r.created_at, i.sku, i.quantity, i.returned_quantity
       FROM reservation_items i JOIN reservations r USING (order_id)
       ${skus ? 'WHERE i.sku = ANY($1::text[])' : ''}`,
      params,
    );
    const adjustments = await client.query<{ sku: string; delta: number; created_at: Date }>(
      `SELECT sku, delta, created_at FROM stock_adjustments ${skus ? 'WHERE sku = ANY($1::text[])' : ''}`,
      params,
    );
    return {
      stockAdjustments: adjustments.rows.map((r) => ({
        sku: r.sku,
        delta: r.delta,
        createdAt: r.created_at,
      })),
      products: products.rows.map((r) => ({ sku: r.sku, onHand: r.on_hand, reserved: r.reserved })),
      reservations: lines.rows.map((r) => ({
        orderId: r.order_id,
        status: r.status,
        createdAt: r.created_at,
        sku: r.sku,
        quantity: r.quantity,
        returnedQuantity: r.returned_quantity,
      })),
    };
  });
}
