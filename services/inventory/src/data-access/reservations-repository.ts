// Reservations, their items and the idempotency keys of returns.
import type { ItemRequest, Reservation, ReservationItem, ReservationStatus } from '../domain/model';
import { preparedStatement, type Queryable } from '@orders/platform';

interface ReservationRow {
  order_id: string;
  status: ReservationStatus;
  expires_at: Date;
  pinned_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface ItemRow {
  sku: string;
  quantity: number;
  unit_price: number;
  returned_quantity: number;
}

const COLUMNS = 'order_id, status, expires_at, pinned_at, created_at, updated_at';

const toReservation = (row: ReservationRow, items: ItemRow[]): Reservation => ({
  orderId: row.order_id,
  status: row.status,
  items: items.map((i) => ({
    sku: i.sku,
    quantity: i.quantity,
    unitPrice: i.unit_price,
    returnedQuantity: i.returned_quantity,
  })),
  expiresAt: row.expires_at,
  pinnedAt: row.pinned_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * A reservation's items as one JSON column of its own row, in SKU order: a read (or a locked read)
 * is one round trip instead of two. The subquery is in the select list, so FOR UPDATE still locks
 * only the reservation's row.
 */
const ITEMS = `COALESCE((
  SELECT json_agg(json_build_object('sku', i.sku, 'quantity', i.quantity, 'unit_price', i.unit_price,
                                    'returned_quantity', i.returned_quantity) ORDER BY i.sku COLLATE "C")
  FROM reservation_items i WHERE i.order_id = r.order_id), '[]') AS items`;

/** The row an UPDATE returned, with the items read under the same lock. */
function updated(reservation: Reservation, row: ReservationRow | undefined): Reservation {
  if (!row) throw new Error(`reservation ${reservation.orderId} vanished inside its transaction`);
  return { ...toReservation(row, []), items: reservation.items };
}

export interface ReturnKey {
  orderId: string;
  /** The items of a partial return; null for a full one. */
  items: ItemRequest[] | null;
}

/** Reservations, their items and return keys, on the pool or inside one transaction (`db`). */
export function createReservationsRepository(db: Queryable) {
  return {
    /**
     * Reads a reservation with its items. `lock` takes the row lock that serialises every state
     * change of one reservation (commit, release, return, expiry).
     */
    async findReservation(
      orderId: string,
      { lock = false }: { lock?: boolean } = {},
    ): Promise<Reservation | undefined> {
      const { rows } = await db.query<ReservationRow & { items: ItemRow[] }>(
        lock
          ? preparedStatement(
              'inventory.lock-reservation',
              `SELECT ${COLUMNS}, ${ITEMS} FROM reservations r WHERE order_id = $1 FOR UPDATE`,
            )
          : preparedStatement(
              'inventory.find-reservation',
              `SELECT ${COLUMNS}, ${ITEMS} FROM reservations r WHERE order_id = $1`,
            ),
        [orderId],
      );
      const row = rows[0];
      return row && toReservation(row, row.items);
    },

    /**
     * Inserts a reservation unless the order already has one (then undefined). A concurrent insert
     * for the same order waits here until the other transaction ends, so exactly one of them wins.
     */
    async insertReservation(
      orderId: string,
      status: ReservationStatus,
      ttlSeconds: number,
    ): Promise<Reservation | undefined> {
      const { rows } = await db.query<ReservationRow>(
        preparedStatement(
          'inventory.insert-reservation',
          `INSERT INTO reservations (order_id, status, expires_at)
           VALUES ($1, $2, now() + make_interval(secs => $3))
           ON CONFLICT (order_id) DO NOTHING
           RETURNING ${COLUMNS}`,
        ),
        [orderId, status, ttlSeconds],
      );
      return rows[0] && toReservation(rows[0], []);
    },

    async insertItems(orderId: string, items: readonly ReservationItem[]): Promise<void> {
      await db.query(
        preparedStatement(
          'inventory.insert-reservation-items',
          `INSERT INTO reservation_items (order_id, sku, quantity, unit_price)
           SELECT $1, sku, quantity, unit_price FROM unnest($2::text[], $3::int[], $4::int[]) AS i(sku, quantity, unit_price)`,
        ),
        [orderId, items.map((i) => i.sku), items.map((i) => i.quantity), items.map((i) => i.unitPrice)],
      );
    },

    /**
     * Marks a HELD reservation as needed until its saga commits or releases it (no expiry). The
     * caller holds the row lock and read `reservation` under it; the answer is that reservation as
     * it now stands (its items are untouched).
     */
    async pin(reservation: Reservation): Promise<Reservation> {
      const { rows } = await db.query<ReservationRow>(
        preparedStatement(
          'inventory.pin-reservation',
          `UPDATE reservations SET pinned_at = COALESCE(pinned_at, now()), updated_at = now()
           WHERE order_id = $1 AND status = 'HELD'
           RETURNING ${COLUMNS}`,
        ),
        [reservation.orderId],
      );
      return updated(reservation, rows[0]);
    },

    /** Moves a reservation the caller holds locked (and read as `reservation`) to `status`. */
    async setStatus(reservation: Reservation, status: ReservationStatus): Promise<Reservation> {
      const { rows } = await db.query<ReservationRow>(
        preparedStatement(
          'inventory.set-reservation-status',
          `UPDATE reservations SET status = $2, updated_at = now() WHERE order_id = $1 RETURNING ${COLUMNS}`,
        ),
        [reservation.orderId, status],
      );
      return updated(reservation, rows[0]);
    },

    async addReturned(orderId: string, sku: string, quantity: number): Promise<void> {
      await db.query(
        `UPDATE reservation_items SET returned_quantity = returned_quantity + $3
         WHERE order_id = $1 AND sku = $2`,
        [orderId, sku, quantity],
      );
    },

    /**
     * Locks up to `limit` HELD reservations past their deadline. SKIP LOCKED lets several replicas
     * sweep at once, each taking different rows, and never waits on a commit in progress.
     */
    async lockExpiredHeld(limit: number): Promise<string[]> {
      const { rows } = await db.query<{ order_id: string }>(
        `SELECT order_id FROM reservations
         WHERE status = 'HELD' AND pinned_at IS NULL AND expires_at <= now()
         ORDER BY expires_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      return rows.map((r) => r.order_id);
    },

    /** Quantities per SKU held by the given reservations, summed, in SKU order. */
    async heldQuantities(orderIds: readonly string[]): Promise<ItemRequest[]> {
      const { rows } = await db.query<{ sku: string; quantity: number }>(
        `SELECT sku, sum(quantity)::int AS quantity FROM reservation_items
         WHERE order_id = ANY($1::text[]) GROUP BY sku ORDER BY sku COLLATE "C"`,
        [orderIds],
      );
      return rows;
    },

    async setStatusMany(orderIds: readonly string[], status: ReservationStatus): Promise<void> {
      await db.query(
        `UPDATE reservations SET status = $2, updated_at = now() WHERE order_id = ANY($1::text[])`,
        [orderIds, status],
      );
    },

    /** Remembers a return's idempotency key; false when the key was already used. */
    async insertReturnKey(key: string, entry: ReturnKey): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO inventory_returns (idempotency_key, order_id, items) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (idempotency_key) DO NOTHING`,
        [key, entry.orderId, entry.items === null ? null : JSON.stringify(entry.items)],
      );
      return rowCount === 1;
    },

    async findReturnKey(key: string): Promise<ReturnKey | undefined> {
      const { rows } = await db.query<{ order_id: string; items: ItemRequest[] | null }>(
        `SELECT order_id, items FROM inventory_returns WHERE idempotency_key = $1`,
        [key],
      );
      return rows[0] && { orderId: rows[0].order_id, items: rows[0].items };
    },
  };
}

export type ReservationsRepository = ReturnType<typeof createReservationsRepository>;
