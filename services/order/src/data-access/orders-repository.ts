// Orders table access. Status changes are conditional updates, so a retried or late saga call
// can never move an order backwards (e.g. confirm a cancelled order).
import { preparedStatement, type Pool } from '@orders/platform';
import type { OrderSagaState, SagaFailure } from '@orders/orchestrator/shared';
import type { Order, OrderRecordStatus } from '../domain/order';

interface OrderRow {
  id: string;
  customer_id: string;
  customer_email: string;
  customer_name: string | null;
  request_hash: string;
  status: OrderRecordStatus;
  items: Order['items'];
  currency: string;
  total: number;
  payment_method: string;
  status_reason: string | null;
  failure: SagaFailure | null;
  compensations: string[];
  refunded: number;
  saga_started_at: Date | null;
  saga_start_claimed_until: Date | null;
  traceparent: string | null;
  saga_state: OrderSagaState | null;
  saga_revision: number | null;
  created_at: Date;
  updated_at: Date;
}

/** What OrderRow holds, named: the statements of a saga's path are prepared (no `*` there). */
const COLUMNS =
  'id, customer_id, customer_email, customer_name, request_hash, status, items, currency, total, payment_method, ' +
  'status_reason, failure, compensations, refunded, saga_started_at, saga_start_claimed_until, traceparent, ' +
  'saga_state, saga_revision, created_at, updated_at';

const toOrder = (row: OrderRow): Order & { requestHash: string } => ({
  id: row.id,
  customer: {
    id: row.customer_id,
    email: row.customer_email,
    ...(row.customer_name ? { name: row.customer_name } : {}),
  },
  items: row.items,
  currency: row.currency,
  total: row.total,
  paymentMethod: row.payment_method,
  status: row.status,
  statusReason: row.status_reason,
  failure: row.failure,
  compensations: row.compensations,
  refunded: row.refunded,
  sagaStarted: row.saga_started_at !== null,
  sagaState: row.saga_state,
  traceparent: row.traceparent,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  requestHash: row.request_hash,
});

export type NewOrder = Omit<
  Order,
  | 'status'
  | 'statusReason'
  | 'failure'
  | 'compensations'
  | 'refunded'
  | 'sagaStarted'
  | 'sagaState'
  | 'traceparent'
  | 'createdAt'
  | 'updatedAt'
> & {
  idempotencyKey: string;
  requestHash: string;
  /** The Temporal task queue its saga is to run on: only that deployment's starters start it. */
  sagaTaskQueue: string;
  /** The accepting request's trace context, so the saga's start joins that trace. */
  traceparent?: string;
};

/** SET clauses taking a reported saga state (or NULL: none) only over an older revision. */
const NEWER_SAGA_STATE = (state: string, revision: string) => {
  const newer = `${state} IS NOT NULL AND coalesce(saga_revision, -1) < ${revision}`;
  return `saga_state = CASE WHEN ${newer} THEN ${state} ELSE saga_state END,
           saga_revision = CASE WHEN ${newer} THEN ${revision} ELSE saga_revision END`;
};

export function createOrdersRepository(pool: Pool) {
  return {
    /** Inserts the order unless this customer already used the key; returns the stored order either way. */
    async insertOrGet(
      order: NewOrder,
    ): Promise<{ order: Order & { requestHash: string }; created: boolean }> {
      const inserted = await pool.query<OrderRow>(
        preparedStatement(
          'order.insert',
          `INSERT INTO orders (id, customer_id, customer_email, customer_name, idempotency_key, request_hash, status, items, currency, total, payment_method, saga_task_queue, traceparent)
           VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7, $8, $9, $10, $11, $12)
           ON CONFLICT (customer_id, idempotency_key) DO NOTHING
           RETURNING ${COLUMNS}`,
        ),
        [
          order.id,
          order.customer.id,
          order.customer.email,
          order.customer.name ?? null,
          order.idempotencyKey,
          order.requestHash,
          JSON.stringify(order.items),
          order.currency,
          order.total,
          order.paymentMethod,
          order.sagaTaskQueue,
          order.traceparent ?? null,
        ],
      );
      if (inserted.rows[0]) return { order: toOrder(inserted.rows[0]), created: true };
      const existing = await this.findByIdempotencyKey(order.customer.id, order.idempotencyKey);
      if (!existing)
        throw new Error(`order with key ${order.idempotencyKey} conflicted but cannot be read back`);
      return { order: existing, created: false };
    },

    async findByIdempotencyKey(
      customerId: string,
      key: string,
    ): Promise<(Order & { requestHash: string }) | undefined> {
      const { rows } = await pool.query<OrderRow>(
        preparedStatement(
          'order.find-by-idempotency-key',
          `SELECT ${COLUMNS} FROM orders WHERE customer_id = $1 AND idempotency_key = $2`,
        ),
        [customerId, key],
      );
      return rows[0] ? toOrder(rows[0]) : undefined;
    },

    async findById(id: string): Promise<Order | undefined> {
      const { rows } = await pool.query<OrderRow>(
        preparedStatement('order.find-by-id', `SELECT ${COLUMNS} FROM orders WHERE id = $1`),
        [id],
      );
      return rows[0] ? toOrder(rows[0]) : undefined;
    },

    async markSagaStarted(ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      await pool.query(
        preparedStatement(
          'order.mark-saga-started',
          'UPDATE orders SET saga_started_at = coalesce(saga_started_at, now()) WHERE id = ANY($1::uuid[])',
        ),
        [ids],
      );
    },

    /**
     * Up to `limit` orders of `taskQueue` whose saga has not started and that no starter holds,
     * oldest first, each now held for `leaseMs` (SKIP LOCKED: concurrent starters take
     * different rows).
     */
    async claimSagaStarts(taskQueue: string, limit: number, leaseMs: number): Promise<Order[]> {
      const { rows } = await pool.query<OrderRow>(
        preparedStatement(
          'order.claim-saga-starts',
          `UPDATE orders SET saga_start_claimed_until = now() + $2 * interval '1 millisecond'
           WHERE id IN (
             SELECT id FROM orders
             WHERE saga_started_at IS NULL AND saga_task_queue = $3
               AND coalesce(saga_start_claimed_until, '-infinity') < now()
             ORDER BY created_at
             LIMIT $1
             FOR UPDATE SKIP LOCKED)
           RETURNING ${COLUMNS}`,
        ),
        [limit, leaseMs, taskQueue],
      );
      return rows.map(toOrder).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    },

    /** Accepted orders whose saga has not started yet, and how long the oldest has waited. */
    async sagaStartBacklog(taskQueue: string): Promise<{ pending: number; oldestAgeSeconds: number }> {
      const { rows } = await pool.query<{ pending: string; oldest_age: number | null }>(
        `SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at))::float8 AS oldest_age
         FROM orders WHERE saga_started_at IS NULL AND saga_task_queue = $1`,
        [taskQueue],
      );
      return { pending: Number(rows[0]?.pending ?? 0), oldestAgeSeconds: rows[0]?.oldest_age ?? 0 };
    },

    /** Moves to `to` only from one of `from`; returns the order as it is afterwards. */
    async transition(
      id: string,
      from: OrderRecordStatus[],
      to: OrderRecordStatus,
      changes: {
        reason?: string | null;
        failure?: SagaFailure | null;
        compensations?: string[];
        refunded?: number;
        /** The saga's state once this transition is recorded; kept only if newer than the one held. */
        saga?: OrderSagaState;
      } = {},
    ): Promise<{ order: Order | undefined; changed: boolean }> {
      const { rows } = await pool.query<OrderRow>(
        preparedStatement(
          'order.transition',
          `UPDATE orders SET status = $3,
             status_reason = CASE WHEN $4::boolean THEN $5 ELSE status_reason END,
             failure = CASE WHEN $6::boolean THEN $7::jsonb ELSE failure END,
             compensations = CASE WHEN $8::boolean THEN $9::jsonb ELSE compensations END,
             refunded = greatest(refunded, coalesce($10::integer, 0)),
             ${NEWER_SAGA_STATE('$11::jsonb', '$12::integer')},
             updated_at = now()
           WHERE id = $1 AND status = ANY($2::text[])
           RETURNING ${COLUMNS}`,
        ),
        [
          id,
          from,
          to,
          changes.reason !== undefined,
          changes.reason ?? null,
          changes.failure !== undefined,
          JSON.stringify(changes.failure ?? null),
          changes.compensations !== undefined,
          JSON.stringify(changes.compensations ?? []),
          changes.refunded ?? null,
          changes.saga ? JSON.stringify(changes.saga) : null,
          changes.saga ? (changes.saga.revision ?? 0) : null,
        ],
      );
      if (rows[0]) return { order: toOrder(rows[0]), changed: true };
      return { order: await this.findById(id), changed: false };
    },

    /** Keeps the saga's reported state unless the one held is as new or newer; the order as it is now. */
    async recordSagaState(id: string, saga: OrderSagaState): Promise<Order | undefined> {
      await pool.query(`UPDATE orders SET ${NEWER_SAGA_STATE('$2::jsonb', '$3::integer')} WHERE id = $1`, [
        id,
        JSON.stringify(saga),
        saga.revision ?? 0,
      ]);
      return this.findById(id);
    },

    /**
     * One page of orders, newest first, by keyset on (created_at, id): `limit + 1` rows are
     * returned so the caller knows whether another page follows. Each row carries its exact
     * position, since created_at has microseconds that a JS Date would round away.
     */
    async list(
      filter: OrderListFilter,
      page: { limit: number; after?: OrderListPosition },
    ): Promise<ListedOrder[]> {
      const params: unknown[] = [];
      const where: string[] = [];
      const param = (value: unknown) => `$${params.push(value)}`;
      if (filter.customerId !== undefined) where.push(`customer_id = ${param(filter.customerId)}`);
      if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
      if (filter.from !== undefined) where.push(`created_at >= ${param(filter.from)}`);
      if (filter.to !== undefined) where.push(`created_at < ${param(filter.to)}`);
      if (page.after !== undefined)
        where.push(
          `(created_at, id) < (${param(page.after.createdAt)}::timestamptz, ${param(page.after.id)}::uuid)`,
        );
      const { rows } = await pool.query<OrderRow & { position_created_at: string }>(
        `SELECT *, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position_created_at
         FROM orders
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id DESC
         LIMIT ${param(page.limit + 1)}`,
        params,
      );
      return rows.map((row) => ({
        ...toOrder(row),
        position: { createdAt: row.position_created_at, id: row.id },
      }));
    },
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

export interface OrderListFilter {
  customerId?: string;
  status?: OrderRecordStatus;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
}

/** A row's place in the listing order: created_at to the microsecond (ISO, UTC) and id. */
export interface OrderListPosition {
  createdAt: string;
  id: string;
}

export type ListedOrder = Order & { position: OrderListPosition };
