// Stock received, counted or written off, as a delta: applied under the product's row lock, so it
// composes with the holds and commits running at the same time instead of overwriting them. Going
// below what is reserved is refused (those units are promised to orders; committed units have
// already left on hand). The Idempotency-Key makes a retried adjustment apply once.
import type { Pool } from '@orders/platform';
import { createInventoryRepository } from '../data-access/inventory-repository';
import { idempotencyKeyReused, productNotFound, stockAboveLimit, stockBelowReserved } from './errors';
import { MAX_ON_HAND, type Product, type StockAdjustment } from './model';

export interface AdjustStockCommand {
  sku: string;
  delta: number;
  reason: string;
  idempotencyKey: string;
}

export interface AdjustStockResult {
  adjustment: StockAdjustment;
  /** The product now (for a replay: as it is now, not as the adjustment left it). */
  product: Product;
  /** False for a replay of an adjustment already applied with this key. */
  created: boolean;
}

export async function adjustStock(pool: Pool, command: AdjustStockCommand): Promise<AdjustStockResult> {
  return createInventoryRepository(pool).transaction(async (tx) => {
    // The lock first: a retry with the same key waits for the original to commit, then finds it.
    const product = await tx.products.lockProduct(command.sku);
    if (!product) throw productNotFound(command.sku);
    const previous = await tx.adjustments.findAdjustment(command.sku, command.idempotencyKey);
    if (previous) {
      if (previous.delta !== command.delta || previous.reason !== command.reason)
        throw idempotencyKeyReused(command.idempotencyKey, 'stock adjustment');
      return { adjustment: previous, product, created: false };
    }
    const onHand = product.onHand + command.delta;
    if (onHand < product.reserved) throw stockBelowReserved(command.sku, onHand, product.reserved);
    if (onHand > MAX_ON_HAND) throw stockAboveLimit(command.sku, onHand, MAX_ON_HAND);
    const adjusted = await tx.products.addOnHand(command.sku, command.delta);
    const adjustment = await tx.adjustments.insertAdjustment({
      sku: command.sku,
      idempotencyKey: command.idempotencyKey,
      delta: command.delta,
      reason: command.reason,
      onHandAfter: adjusted.onHand,
    });
    return { adjustment, product: adjusted, created: true };
  });
}
