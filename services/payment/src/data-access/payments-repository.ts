// Payments and refunds in PostgreSQL. Every status change is conditional on the status it
// leaves (`WHERE status = ANY(...)`), so two racing requests cannot both apply a transition:
// the loser gets no row back and re-reads the payment.
import { preparedStatement, withTransaction, type Pool, type Queryable } from '@orders/platform';
import type { AuthorizeInput, Payment, PaymentStatus, Refund } from '../domain/payment';

interface PaymentRow {
  order_id: string;
  payment_intent_id: string | null;
  status: PaymentStatus;
  amount: string;
  currency: string | null;
  captured: string;
  refunded: string;
  payment_method: string | null;
  customer_id: string | null;
  decline_code: string | null;
  failure_code: string | null;
  authorize_key: string | null;
  created_at: Date;
  updated_at: Date;
}

interface RefundRow {
  idempotency_key: string;
  order_id: string;
  refund_id: string | null;
  amount: string;
  reason: string | null;
  created_at: Date;
}

/** What the rows hold, named: the statements of a saga's path are prepared (no `*` there). */
const PAYMENT_COLUMNS =
  'order_id, payment_intent_id, status, amount, currency, captured, refunded, payment_method, customer_id, ' +
  'decline_code, failure_code, authorize_key, created_at, updated_at';
const REFUND_COLUMNS = 'idempotency_key, order_id, refund_id, amount, reason, created_at';

// bigint columns arrive as strings; amounts in cents stay far below 2^53.
const toPayment = (r: PaymentRow): Payment => ({
  orderId: r.order_id,
  paymentIntentId: r.payment_intent_id,
  status: r.status,
  amount: Number(r.amount),
  currency: r.currency,
  captured: Number(r.captured),
  refunded: Number(r.refunded),
  paymentMethod: r.payment_method,
  customerId: r.customer_id,
  declineCode: r.decline_code,
  failureCode: r.failure_code,
  authorizeKey: r.authorize_key,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toRefund = (r: RefundRow): Refund => ({
  idempotencyKey: r.idempotency_key,
  orderId: r.order_id,
  refundId: r.refund_id,
  amount: Number(r.amount),
  reason: r.reason,
  createdAt: r.created_at,
});

/** Columns a transition may set, by field name. */
export interface PaymentChanges {
  status?: PaymentStatus;
  paymentIntentId?: string | null;
  captured?: number;
  declineCode?: string | null;
  failureCode?: string | null;
}

const COLUMNS: Record<keyof PaymentChanges, string> = {
  status: 'status',
  paymentIntentId: 'payment_intent_id',
  captured: 'captured',
  declineCode: 'decline_code',
  failureCode: 'failure_code',
};

/** The payments and refunds tables, bound to the pool or to one transaction. */
export interface PaymentsRepository {
  /** Runs `fn` in one transaction with a repository bound to it. */
  transaction<T>(fn: (tx: PaymentsRepository) => Promise<T>): Promise<T>;
  /** The new AUTHORIZING row, or undefined when the order already has a payment. */
  insertAuthorizing(input: AuthorizeInput, authorizeKey: string): Promise<Payment | undefined>;
  /** A VOIDED row for an order that was never authorized, or undefined when it has a payment. */
  insertTombstone(orderId: string): Promise<Payment | undefined>;
  find(orderId: string, options?: { lock?: boolean }): Promise<Payment | undefined>;
  /** Applies `changes` only while the payment is in one of `from`; undefined when it is not. */
  transition(
    orderId: string,
    from: readonly PaymentStatus[],
    changes: PaymentChanges,
  ): Promise<Payment | undefined>;
  refunds(orderId: string): Promise<Refund[]>;
  findRefund(idempotencyKey: string): Promise<Refund | undefined>;
  /** Money held by refunds Stripe has not confirmed yet. */
  reservedRefunds(orderId: string): Promise<number>;
  /** Refunds Stripe has not confirmed, across orders, reserved at least `olderThanSeconds` ago, oldest first. */
  pendingRefunds(olderThanSeconds: number, limit: number): Promise<(Refund & { ageSeconds: number })[]>;
  /** How many refunds are pending and how long the oldest has been, for /metrics. */
  pendingRefundStats(): Promise<{ count: number; oldestAgeSeconds: number }>;
  reserveRefund(refund: Omit<Refund, 'refundId' | 'createdAt'>): Promise<Refund>;
  /**
   * Records Stripe's refund id on a reservation and adds its amount to the payment, once:
   * undefined when the reservation was already settled (a concurrent duplicate got there first).
   */
  settleRefund(idempotencyKey: string, refundId: string): Promise<Payment | undefined>;
  /** Gives a reservation's amount back to the refundable balance after Stripe refused it. */
  releaseRefund(idempotencyKey: string): Promise<void>;
}

export function createPaymentsRepository(pool: Pool, db: Queryable = pool): PaymentsRepository {
  return {
    transaction<T>(fn: (tx: PaymentsRepository) => Promise<T>): Promise<T> {
      return withTransaction(pool, (client) => fn(createPaymentsRepository(pool, client)));
    },

    async insertAuthorizing(input: AuthorizeInput, authorizeKey: string): Promise<Payment | undefined> {
      const { rows } = await db.query<PaymentRow>(
        preparedStatement(
          'payment.insert-authorizing',
          `INSERT INTO payments (order_id, status, amount, currency, customer_id, payment_method, authorize_key)
           VALUES ($1, 'AUTHORIZING', $2, $3, $4, $5, $6)
           ON CONFLICT (order_id) DO NOTHING
           RETURNING ${PAYMENT_COLUMNS}`,
        ),
        [input.orderId, input.amount, input.currency, input.customerId, input.paymentMethod, authorizeKey],
      );
      return rows[0] && toPayment(rows[0]);
    },

    async insertTombstone(orderId: string): Promise<Payment | undefined> {
      const { rows } = await db.query<PaymentRow>(
        `INSERT INTO payments (order_id, status, amount) VALUES ($1, 'VOIDED', 0)
         ON CONFLICT (order_id) DO NOTHING
         RETURNING *`,
        [orderId],
      );
      return rows[0] && toPayment(rows[0]);
    },

    async find(orderId: string, options: { lock?: boolean } = {}): Promise<Payment | undefined> {
      const { rows } = await db.query<PaymentRow>(
        options.lock
          ? preparedStatement(
              'payment.lock',
              `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE order_id = $1 FOR UPDATE`,
            )
          : preparedStatement('payment.find', `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE order_id = $1`),
        [orderId],
      );
      return rows[0] && toPayment(rows[0]);
    },

    async transition(
      orderId: string,
      from: readonly PaymentStatus[],
      changes: PaymentChanges,
    ): Promise<Payment | undefined> {
      const entries = Object.entries(changes) as [keyof PaymentChanges, unknown][];
      const sets = entries.map(([field], i) => `${COLUMNS[field]} = $${i + 3}`);
      // One prepared statement per set of fields changed: a handful, fixed by the use cases.
      const { rows } = await db.query<PaymentRow>(
        preparedStatement(
          `payment.transition(${entries.map(([field]) => field).join(',')})`,
          `UPDATE payments SET ${[...sets, 'updated_at = now()'].join(', ')}
           WHERE order_id = $1 AND status = ANY($2::text[])
           RETURNING ${PAYMENT_COLUMNS}`,
        ),
        [orderId, from, ...entries.map(([, value]) => value)],
      );
      return rows[0] && toPayment(rows[0]);
    },

    async refunds(orderId: string): Promise<Refund[]> {
      const { rows } = await db.query<RefundRow>(
        preparedStatement(
          'payment.refunds',
          `SELECT ${REFUND_COLUMNS} FROM refunds WHERE order_id = $1 ORDER BY created_at, idempotency_key`,
        ),
        [orderId],
      );
      return rows.map(toRefund);
    },

    async findRefund(idempotencyKey: string): Promise<Refund | undefined> {
      const { rows } = await db.query<RefundRow>('SELECT * FROM refunds WHERE idempotency_key = $1', [
        idempotencyKey,
      ]);
      return rows[0] && toRefund(rows[0]);
    },

    async reservedRefunds(orderId: string): Promise<number> {
      const { rows } = await db.query<{ total: string }>(
        'SELECT COALESCE(SUM(amount), 0) AS total FROM refunds WHERE order_id = $1 AND refund_id IS NULL',
        [orderId],
      );
      return Number(rows[0]?.total ?? 0);
    },

    async pendingRefunds(
      olderThanSeconds: number,
      limit: number,
    ): Promise<(Refund & { ageSeconds: number })[]> {
      const { rows } = await db.query<RefundRow & { age_seconds: string }>(
        `SELECT *, EXTRACT(EPOCH FROM now() - created_at) AS age_seconds
         FROM refunds
         WHERE refund_id IS NULL AND created_at <= now() - make_interval(secs => $1)
         ORDER BY created_at, idempotency_key
         LIMIT $2`,
        [olderThanSeconds, limit],
      );
      return rows.map((r) => ({ ...toRefund(r), ageSeconds: Math.floor(Number(r.age_seconds)) }));
    },

    async pendingRefundStats(): Promise<{ count: number; oldestAgeSeconds: number }> {
      const { rows } = await db.query<{ count: string; oldest: string | null }>(
        `SELECT count(*) AS count, EXTRACT(EPOCH FROM now() - min(created_at)) AS oldest
         FROM refunds WHERE refund_id IS NULL`,
      );
      const row = rows[0];
      return { count: Number(row?.count ?? 0), oldestAgeSeconds: Number(row?.oldest ?? 0) };
    },

    async reserveRefund(refund: Omit<Refund, 'refundId' | 'createdAt'>): Promise<Refund> {
      const { rows } = await db.query<RefundRow>(
        `INSERT INTO refunds (idempotency_key, order_id, amount, reason) VALUES ($1, $2, $3, $4) RETURNING *`,
        [refund.idempotencyKey, refund.orderId, refund.amount, refund.reason],
      );
      const row = rows[0];
      if (!row) throw new Error('INSERT ... RETURNING returned no row');
      return toRefund(row);
    },

    async settleRefund(idempotencyKey: string, refundId: string): Promise<Payment | undefined> {
      const { rows } = await db.query<PaymentRow>(
        `WITH settled AS (
           UPDATE refunds SET refund_id = $2
           WHERE idempotency_key = $1 AND refund_id IS NULL
           RETURNING order_id, amount
         )
         UPDATE payments p
         SET refunded = p.refunded + s.amount,
             status = CASE WHEN p.refunded + s.amount >= p.captured THEN 'REFUNDED' ELSE 'PARTIALLY_REFUNDED' END,
             updated_at = now()
         FROM settled s
         WHERE p.order_id = s.order_id
         RETURNING p.*`,
        [idempotencyKey, refundId],
      );
      return rows[0] && toPayment(rows[0]);
    },

    async releaseRefund(idempotencyKey: string): Promise<void> {
      await db.query('DELETE FROM refunds WHERE idempotency_key = $1 AND refund_id IS NULL', [
        idempotencyKey,
      ]);
    },
  };
}
