// Reserve, commit and release: the inventory's saga steps and the compensation of reserve.
// Every state change of a reservation happens under its row lock, in one transaction with the
// stock it moves, so a reservation and the stock counters can never disagree.
import { withTransaction, type Pool, type PoolClient } from '@orders/platform';
import * as products from '../data-access/products-repository';
import * as reservations from '../data-access/reservations-repository';
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
  return withTransaction(pool, async (client) => {
    const inserted = await reservations.insertReservation(
      client,
      command.orderId,
      'HELD',
      command.ttlSeconds,
    );
    if (!inserted) return { value: replay(await existing(client, command.orderId), items), created: false };

    await rejectUnknownOrOverLimit(client, items);
    const held: ReservationItem[] = [];
    for (const item of items) {
      const hold = await products.holdStock(client, item.sku, item.quantity);
      if (!hold) throw await whyNotHeld(client, item);
      held.push({ ...item, unitPrice: hold.unitPrice, returnedQuantity: 0 });
    }
    await reservations.insertItems(client, command.orderId, held);
    return { value: { ...inserted, items: held }, created: true };
  });
}

async function existing(client: PoolClient, orderId: string): Promise<Reservation> {
  const reservation = await reservations.findReservation(client, orderId);
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
async function rejectUnknownOrOverLimit(client: PoolClient, items: ItemRequest[]): Promise<void> {
  const known = new Map(
    (
      await products.findProducts(
        client,
        items.map((i) => i.sku),
      )
    ).map((p) => [p.sku, p]),
  );
  for (const item of items) {
    const product = known.get(item.sku);
    if (!product) throw unknownSku(item.sku);
    if (item.quantity > product.maxPerOrder)
      throw quantityLimit(item.sku, item.quantity, product.maxPerOrder);
  }
}

async function whyNotHeld(client: PoolClient, item: ItemRequest): Promise<Error> {
  const product = await products.findProduct(client, item.sku);
  if (!product) return unknownSku(item.sku);
  if (item.quantity > product.maxPerOrder) return quantityLimit(item.sku, item.quantity, product.maxPerOrder);
  return outOfStock(item.sku, item.quantity, Math.max(product.available, 0));
}

/** HELD becomes COMMITTED: the held stock leaves on hand for good. Repeating it changes nothing. */
export async function commitReservation(pool: Pool, orderId: string): Promise<Reservation> {
  return withTransaction(pool, async (client) => {
    const reservation = await reservations.findReservation(client, orderId, { lock: true });
    if (!reservation) throw reservationNotFound(orderId);
    if (reservation.status === 'COMMITTED') return reservation;
    if (reservation.status !== 'HELD') throw reservationNotHeld(orderId, reservation.status);
    for (const item of bySku(reservation.items)) {
      await products.consumeHeldStock(client, item.sku, item.quantity);
    }
    await reservations.setStatus(client, orderId, 'COMMITTED');
    return locked(client, orderId);
  });
}

/**
 * Called by the saga right before it captures payment: a hold past its deadline but not yet
 * swept still holds its stock, so it is pinned; one already expired refuses, so no capture ever
 * follows an expired hold. Under the row lock, so the sweep (SKIP LOCKED) cannot interleave.
 */
export async function pinReservation(pool: Pool, orderId: string): Promise<Reservation> {
  return withTransaction(pool, async (client) => {
    const reservation = await reservations.findReservation(client, orderId, { lock: true });
    if (!reservation) throw reservationNotFound(orderId);
    if (reservation.status === 'COMMITTED' || (reservation.status === 'HELD' && reservation.pinnedAt))
      return reservation;
    if (reservation.status === 'EXPIRED') throw reservationExpired(orderId);
    if (reservation.status !== 'HELD') throw reservationNotHeld(orderId, reservation.status);
    await reservations.pin(client, orderId);
    return locked(client, orderId);
  });
}

/**
 * The compensation of reserve: harmless when reserve never took effect. Without a reservation
 * it leaves a RELEASED tombstone, so a reserve request still in flight is refused when it lands.
 */
export async function releaseReservation(pool: Pool, orderId: string): Promise<Reservation> {
  return withTransaction(pool, async (client) => {
    const reservation = await lockOrTombstone(client, orderId);
    if (reservation.status === 'HELD') return releaseHeld(client, reservation);
    if (reservation.status === 'COMMITTED') throw reservationCommitted(orderId);
    return reservation;
  });
}

export async function getReservation(pool: Pool, orderId: string): Promise<Reservation> {
  const reservation = await reservations.findReservation(pool, orderId);
  if (!reservation) throw reservationNotFound(orderId);
  return reservation;
}

/** The order's reservation, locked; a RELEASED tombstone without items if it had none. */
export async function lockOrTombstone(client: PoolClient, orderId: string): Promise<Reservation> {
  const tombstone = await reservations.insertReservation(client, orderId, 'RELEASED', 0);
  return tombstone ?? locked(client, orderId);
}

/** Gives a HELD reservation's stock back; the caller holds the reservation's lock. */
export async function releaseHeld(client: PoolClient, reservation: Reservation): Promise<Reservation> {
  for (const item of bySku(reservation.items)) {
    await products.unholdStock(client, item.sku, item.quantity);
  }
  await reservations.setStatus(client, reservation.orderId, 'RELEASED');
  return locked(client, reservation.orderId);
}

export async function locked(client: PoolClient, orderId: string): Promise<Reservation> {
  const reservation = await reservations.findReservation(client, orderId, { lock: true });
  if (!reservation) throw new Error(`reservation ${orderId} vanished inside its transaction`);
  return reservation;
}
