// Reservations that are neither committed nor released in time expire, so an abandoned saga
// cannot hold stock forever.
import { withTransaction, type Logger, type Pool } from '@orders/platform';
import * as products from './data-access/products-repository';
import * as reservations from './data-access/reservations-repository';

const BATCH_SIZE = 100;

/** Expires every HELD reservation past its deadline and gives its stock back; returns how many. */
export async function sweepExpiredReservations(pool: Pool, batchSize = BATCH_SIZE): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await withTransaction(pool, async (client) => {
      const orderIds = await reservations.lockExpiredHeld(client, batchSize);
      if (orderIds.length === 0) return 0;
      // Summed per SKU and applied in SKU order: the same lock order as every other writer.
      for (const item of await reservations.heldQuantities(client, orderIds)) {
        await products.unholdStock(client, item.sku, item.quantity);
      }
      await reservations.setStatusMany(client, orderIds, 'EXPIRED');
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
