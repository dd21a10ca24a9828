// processed_events: one row per order event id, the record that makes e-mailing exactly-once.
import type { Pool } from '@orders/platform';

export type NotificationStatus = 'SENDING' | 'SENT' | 'SKIPPED';

export interface NotificationRecord {
  eventId: string;
  orderId: string;
  type: string;
  status: NotificationStatus;
  recipient: string;
  subject: string | null;
  messageId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface EventIdentity {
  eventId: string;
  orderId: string;
  type: string;
  recipient: string;
}

interface Row {
  event_id: string;
  order_id: string;
  type: string;
  status: NotificationStatus;
  recipient: string;
  subject: string | null;
  message_id: string | null;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

const MAX_ERROR_LENGTH = 2_000;

export interface NotificationsRepository {
  /** Records an event that sends nothing; false when the event was already recorded. */
  recordSkipped(event: EventIdentity): Promise<boolean>;
  /**
   * Claims the event for sending and counts the attempt. Returns the attempt number, or null when
   * the event is already finished (SENT or SKIPPED) and must be dropped.
   */
  claimForSending(event: EventIdentity & { subject: string }): Promise<number | null>;
  markSent(eventId: string, messageId: string): Promise<void>;
  recordFailure(eventId: string, error: string): Promise<void>;
  listByOrder(orderId: string): Promise<NotificationRecord[]>;
}

export function createNotificationsRepository(pool: Pool): NotificationsRepository {
  return {
    async recordSkipped(event) {
      const result = await pool.query(
        `INSERT INTO processed_events (event_id, order_id, type, status, recipient)
         VALUES ($1, $2, $3, 'SKIPPED', $4)
         ON CONFLICT (event_id) DO NOTHING`,
        [event.eventId, event.orderId, event.type, event.recipient],
      );
      return result.rowCount === 1;
    },

    async claimForSending(event) {
      // The claim is the insert. Its conflict arm only touches a row still SENDING, i.e. one left
      // by an earlier failed attempt or a crash; a finished row matches nothing and comes back empty.
      const result = await pool.query<{ attempts: number }>(
        `INSERT INTO processed_events (event_id, order_id, type, status, recipient, subject, attempts)
         VALUES ($1, $2, $3, 'SENDING', $4, $5, 1)
         ON CONFLICT (event_id) DO UPDATE
           SET attempts = processed_events.attempts + 1
           WHERE processed_events.status = 'SENDING'
         RETURNING attempts`,
        [event.eventId, event.orderId, event.type, event.recipient, event.subject],
      );
      return result.rows[0]?.attempts ?? null;
    },

    async markSent(eventId, messageId) {
      await pool.query(
        `UPDATE processed_events
            SET status = 'SENT', message_id = $2, sent_at = now(), last_error = NULL
          WHERE event_id = $1 AND status = 'SENDING'`,
        [eventId, messageId],
      );
    },

    async recordFailure(eventId, error) {
      await pool.query(
        `UPDATE processed_events SET last_error = $2 WHERE event_id = $1 AND status = 'SENDING'`,
        [eventId, error.slice(0, MAX_ERROR_LENGTH)],
      );
    },

    async listByOrder(orderId) {
      const result = await pool.query<Row>(
        `SELECT event_id, order_id, type, status, recipient, subject, message_id, attempts,
                last_error, created_at, sent_at
           FROM processed_events
          WHERE order_id = $1
          ORDER BY created_at, event_id`,
        [orderId],
      );
      return result.rows.map(toRecord);
    },
  };
}

const toRecord = (row: Row): NotificationRecord => ({
  eventId: row.event_id,
  orderId: row.order_id,
  type: row.type,
  status: row.status,
  recipient: row.recipient,
  subject: row.subject,
  messageId: row.message_id,
  attempts: row.attempts,
  lastError: row.last_error,
  createdAt: row.created_at,
  sentAt: row.sent_at,
});
