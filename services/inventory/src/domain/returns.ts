// Return: the compensation of commit, and stock coming back after a refund. Like every
// compensation it is harmless when its step never took effect.
import type { Pool } from '@orders/platform';
import { createInventoryRepository, type InventoryRepository } from '../data-access/inventory-repository';
import type { ReturnKey } from '../data-access/reservations-repository';
import { idempotencyKeyReused, returnExceedsCommitted } from './errors';
import { bySku, type ItemRequest, type Reservation } from './model';
import { locked, lockOrTombstone, releaseHeld } from './reservations';

export interface ReturnCommand {
  orderId: string;
  /** Omitted: everything not yet returned goes back. */
  items?: ItemRequest[];
  /** Makes a partial return safe to retry; a full return is idempotent without it. */
  idempotencyKey?: string;
}

export async function returnStock(pool: Pool, command: ReturnCommand): Promise<Reservation> {
  return createInventoryRepository(pool).transaction(async (tx) => {
    // The reservation lock comes first, so a retry with the same key waits for the original
    // to finish and then finds its key.
    const reservation = await lockOrTombstone(tx, command.orderId);
    if (command.idempotencyKey !== undefined) {
      const request = { orderId: command.orderId, items: command.items ? bySku(command.items) : null };
      if (!(await tx.reservations.insertReturnKey(command.idempotencyKey, request))) {
        const previous = await tx.reservations.findReturnKey(command.idempotencyKey);
        if (!previous || !sameReturn(previous, request)) throw idempotencyKeyReused(command.idempotencyKey);
        return reservation;
      }
    }
    switch (reservation.status) {
      case 'HELD':
        return releaseHeld(tx, reservation);
      case 'COMMITTED':
        return returnCommitted(tx, reservation, command.items);
      default:
        return reservation;
    }
  });
}

async function returnCommitted(
  tx: InventoryRepository,
  reservation: Reservation,
  requested: ItemRequest[] | undefined,
): Promise<Reservation> {
  const returnable = new Map(reservation.items.map((i) => [i.sku, i.quantity - i.returnedQuantity]));
  const items = requested
    ? bySku(requested)
    : reservation.items.map((i) => ({ sku: i.sku, quantity: returnable.get(i.sku) ?? 0 }));
  for (const item of items) {
    const left = returnable.get(item.sku) ?? 0;
    if (item.quantity > left) throw returnExceedsCommitted(item.sku, item.quantity, left);
  }
  for (const item of items) {
    if (item.quantity === 0) continue;
    await tx.products.restock(item.sku, item.quantity);
    await tx.reservations.addReturned(reservation.orderId, item.sku, item.quantity);
    returnable.set(item.sku, (returnable.get(item.sku) ?? 0) - item.quantity);
  }
  if ([...returnable.values()].every((left) => left === 0)) {
    await tx.reservations.setStatus(reservation, 'RETURNED');
  }
  // The returned quantities changed: read them back under the lock.
  return locked(tx, reservation.orderId);
}

function sameReturn(a: ReturnKey, b: ReturnKey): boolean {
  if (a.orderId !== b.orderId) return false;
  if (a.items === null || b.items === null) return a.items === b.items;
  const other = b.items;
  return (
    a.items.length === other.length &&
    a.items.every((item, i) => item.sku === other[i]?.sku && item.quantity === other[i]?.quantity)
  );
}
