// Reserve, commit and release: the inventory's saga steps and the compensation of reserve.
// Every state change of a reservation happens under its row lock, in one transaction with the
// stock it moves, so a reservation and the stock counters can never disagree.
import type { Pool } from '@orders/platform';
import { createInventoryRepository, type InventoryRepository } from '../data-access/inventory-repository';
import {
  outOfStock,
  quantityLimit,
  reservationClosed,
  reservationCommitted,
  reservationExpired,
  reservationMismatch,
  reservationNotFound,
  reservationNotHeld,
  unknownSku,
} from './errors';
import {
  bySku,
  isClosed,
  type ItemRequest,
  type Outcome,
  type Reservation,
  type ReservationItem,
} from './model';

export interface ReserveCommand {
  orderId: string;
  items: ItemRequest[];
  ttlSeconds: number;
}

/**
 * Holds every item or none. Idempotent on the order id: a replay with the same items answers
 * the existing reservation, and a reservation already closed by a compensation is never reopened.
 */
export async function reserveStock(pool: Pool, command: ReserveCommand): Promise<Outcome<Reservation>> {
  const items = bySku(command.items);
  return createInventoryRepository(pool).transaction(async (tx) => {
    const inserted = await tx.reservations.insertReservation(command.orderId, 'HELD', command.ttlSeconds);
    if (!inserted) return { value: replay(await existing(tx, command.orderId), items), created: false };

    await rejectUnknownOrOverLimit(tx, items);
    const held: ReservationItem[] = [];
    for (const item of items) {
      const hold = await tx.products.holdStock(item.sku, item.quantity);
      if (!hold) throw await whyNotHeld(tx, item);
      held.push({ ...item, unitPrice: hold.unitPrice, returnedQuantity: 0 });
    }
    await tx.reservations.insertItems(command.orderId, held);
    return { value: { ...inserted, items: held }, created: true };
  });
}

async function existing(tx: InventoryRepository, orderId: string): Promise<Reservation> {
  const reservation = await tx.reservations.findReservation(orderId);
  // The insert only yields to a committed row, so it is there to read.
  if (!reservation) throw new Error(`reservation ${orderId} conflicted on insert but cannot be read`);
  return reservation;
}

function replay(reservation: Reservation, requested: ItemRequest[]): Reservation {
  if (isClosed(reservation.status)) throw reservationClosed(reservation.orderId, reservation.status);
  const held = new Map(reservation.items.map((item) => [item.sku, item.quantity]));
  const same =
    held.size === requested.length && requested.every((item) => held.get(item.sku) === item.quantity);
  if (!same) throw reservationMismatch(reservation.orderId);
  return reservation;
}

/** Unknown SKUs and limits are refused before any stock is touched, whatever the stock levels. */
async function rejectUnknownOrOverLimit(tx: InventoryRepository, items: ItemRequest[]): Promise<void> {
  const known = new Map((await tx.products.findProducts(items.map((i) => i.sku))).map((p) => [p.sku, p]));
  for (const item of items) {
    const product = known.get(item.sku);
    if (!product) throw unknownSku(item.sku);
    if (item.quantity > product.maxPerOrder)
      throw quantityLimit(item.sku, item.quantity, product.maxPerOrder);
  }
}

async function whyNotHeld(tx: InventoryRepository, item: ItemRequest): Promise<Error> {
  const product = await tx.products.findProduct(item.sku);
  if (!product) return unknownSku(item.sku);
  if (item.quantity > product.maxPerOrder) return quantityLimit(item.sku, item.quantity, product.maxPerOrder);
  return outOfStock(item.sku, item.quantity, Math.max(product.available, 0));
}

/** HELD becomes COMMITTED: the held stock leaves on hand for good. Repeating it changes nothing. */
export async function commitReservation(pool: Pool, orderId: string): Promise<Reservation> {
  return createInventoryRepository(pool).transaction(async (tx) => {
    const reservation = await tx.reservations.findReservation(orderId, { lock: true });
    if (!reservation) throw reservationNotFound(orderId);
    if (reservation.status === 'COMMITTED') return reservation;
    if (reservation.status !== 'HELD') throw reservationNotHeld(orderId, reservation.status);
    for (const item of bySku(reservation.items)) {
      await tx.products.consumeHeldStock(item.sku, item.quantity);
    }
    return tx.reservations.setStatus(reservation, 'COMMITTED');
  });
}

/**
 * Called by the saga right before it captures payment: a hold past its deadline but not yet
 * swept still holds its stock, so it is pinned; one already expired refuses, so no capture ever
 * follows an expired hold. Under the row lock, so the sweep (SKIP LOCKED) cannot interleave.
 */
export async function pinReservation(pool: Pool, orderId: string): Promise<Reservation> {
  return createInventoryRepository(pool).transaction(async (tx) => {
    const reservation = await tx.reservations.findReservation(orderId, { lock: true });
    if (!reservation) throw reservationNotFound(orderId);
    if (reservation.status === 'COMMITTED' || (reservation.status === 'HELD' && reservation.pinnedAt))
      return reservation;
    if (reservation.status === 'EXPIRED') throw reservationExpired(orderId);
    if (reservation.status !== 'HELD') throw reservationNotHeld(orderId, reservation.status);
    return tx.reservations.pin(reservation);
  });
}

/**
 * The compensation of reserve: harmless when reserve never took effect. Without a reservation
 * it leaves a RELEASED tombstone, so a reserve request still in flight is refused when it lands.
 */
export async function releaseReservation(pool: Pool, orderId: string): Promise<Reservation> {
  return createInventoryRepository(pool).transaction(async (tx) => {
    const reservation = await lockOrTombstone(tx, orderId);
    if (reservation.status === 'HELD') return releaseHeld(tx, reservation);
    if (reservation.status === 'COMMITTED') throw reservationCommitted(orderId);
    return reservation;
  });
}

export async function getReservation(pool: Pool, orderId: string): Promise<Reservation> {
  const reservation = await createInventoryRepository(pool).reservations.findReservation(orderId);
  if (!reservation) throw reservationNotFound(orderId);
  return reservation;
}

/** The order's reservation, locked; a RELEASED tombstone without items if it had none. */
export async function lockOrTombstone(tx: InventoryRepository, orderId: string): Promise<Reservation> {
  const tombstone = await tx.reservations.insertReservation(orderId, 'RELEASED', 0);
  return tombstone ?? locked(tx, orderId);
}

/** Gives a HELD reservation's stock back; the caller holds the reservation's lock. */
export async function releaseHeld(tx: InventoryRepository, reservation: Reservation): Promise<Reservation> {
  for (const item of bySku(reservation.items)) {
    await tx.products.unholdStock(item.sku, item.quantity);
  }
  return tx.reservations.setStatus(reservation, 'RELEASED');
}

export async function locked(tx: InventoryRepository, orderId: string): Promise<Reservation> {
  const reservation = await tx.reservations.findReservation(orderId, { lock: true });
  if (!reservation) throw new Error(`reservation ${orderId} vanished inside its transaction`);
  return reservation;
}
