// Reservations that are neither committed nor released in time expire, so an abandoned saga
// cannot hold stock forever.
import type { Logger, Pool } from '@orders/platform';
import { createInventoryRepository } from './data-access/inventory-repository';

const BATCH_SIZE = 100;

/** Expires every HELD reservation past its deadline and gives its stock back; returns how many. */
export async function sweepExpiredReservations(pool: Pool, batchSize = BATCH_SIZE): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await createInventoryRepository(pool).transaction(async (tx) => {
      const orderIds = await tx.reservations.lockExpiredHeld(batchSize);
      if (orderIds.length === 0) return 0;
      // Summed per SKU and applied in SKU order: the same lock order as every other writer.
      for (const item of await tx.reservations.heldQuantities(orderIds)) {
        await tx.products.unholdStock(item.sku, item.quantity);
      }
      await tx.reservations.setStatusMany(orderIds, 'EXPIRED');
      return orderIds.length;
    });
    total += expired;
    if (expired < batchSize) return total;
  }
}

export interface ExpirySweeper {
  /** Stops the timer and waits for a sweep in progress to finish. */
  stop(): Promise<void>;
}

export function startExpirySweeper(pool: Pool, intervalMs: number, logger: Logger): ExpirySweeper {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const tick = () => {
    running = sweepExpiredReservations(pool)
      .then((count) => {
        if (count > 0) logger.info({ count }, 'expired reservations released');
      })
      .catch((err: unknown) => logger.error({ err }, 'reservation expiry sweep failed'))
      .finally(() => {
        // Scheduled after each sweep, so a slow sweep never overlaps the next one.
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
