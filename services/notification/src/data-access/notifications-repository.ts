// processed_events: one row per order event id, the record that makes e-mailing exactly-once.
import { preparedStatement, type Pool } from '@orders/platform';

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
   * Claims the event for sending for `owner`, with a lease of `leaseMs`, and counts the attempt.
   * The attempt number; `finished` when the event is SENT or SKIPPED (drop it); `busy` while
   * another owner's lease on it holds (try again later: it may be sending right now).
   */
  claimForSending(
    event: EventIdentity & { subject: string },
    owner: string,
    leaseMs: number,
  ): Promise<number | 'finished' | 'busy'>;
  /** Renews the lease right before the send; false when the claim is no longer this owner's. */
  holdsClaim(eventId: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Records the send under its owner; false when the claim was taken over meanwhile. */
  markSent(eventId: string, messageId: string, owner: string): Promise<boolean>;
  /** Records a failed attempt and gives the lease up, so a replacement need not wait it out. */
  recordFailure(eventId: string, error: string, owner: string): Promise<void>;
  listByOrder(orderId: string): Promise<NotificationRecord[]>;
}

export function createNotificationsRepository(pool: Pool): NotificationsRepository {
  return {
    async recordSkipped(event) {
      const result = await pool.query(
        preparedStatement(
          'notification.record-skipped',
          `INSERT INTO processed_events (event_id, order_id, type, status, recipient)
           VALUES ($1, $2, $3, 'SKIPPED', $4)
           ON CONFLICT (event_id) DO NOTHING`,
        ),
        [event.eventId, event.orderId, event.type, event.recipient],
      );
      return result.rowCount === 1;
    },

    async claimForSending(event, owner, leaseMs) {
      // The claim is the insert. Its conflict arm only takes a row still SENDING whose lease is
      // this owner's, unowned, or run out — one left by a failed attempt, a crash, or a consumer
      // that lost its partition; a finished row or another's live lease comes back empty.
      const result = await pool.query<{ attempts: number }>(
        preparedStatement(
          'notification.claim-for-sending',
          `INSERT INTO processed_events
             (event_id, order_id, type, status, recipient, subject, attempts, owner, lease_until)
           VALUES ($1, $2, $3, 'SENDING', $4, $5, 1, $6, now() + $7 * interval '1 millisecond')
           ON CONFLICT (event_id) DO UPDATE
             SET attempts = processed_events.attempts + 1,
                 owner = EXCLUDED.owner,
                 lease_until = EXCLUDED.lease_until
             WHERE processed_events.status = 'SENDING'
               AND (processed_events.owner IS NULL OR processed_events.owner = EXCLUDED.owner
                    OR processed_events.lease_until IS NULL OR processed_events.lease_until < now())
           RETURNING attempts`,
        ),
        [event.eventId, event.orderId, event.type, event.recipient, event.subject, owner, leaseMs],
      );
      const attempts = result.rows[0]?.attempts;
      if (attempts !== undefined) return attempts;
      const current = await pool.query<{ status: NotificationStatus }>(
        'SELECT status FROM processed_events WHERE event_id = $1',
        [event.eventId],
      );
      return current.rows[0]?.status === 'SENDING' ? 'busy' : 'finished';
    },

    async holdsClaim(eventId, owner, leaseMs) {
      const result = await pool.query(
        preparedStatement(
          'notification.renew-claim',
          `UPDATE processed_events SET lease_until = now() + $3 * interval '1 millisecond'
            WHERE event_id = $1 AND owner = $2 AND status = 'SENDING' AND lease_until > now()`,
        ),
        [eventId, owner, leaseMs],
      );
      return result.rowCount === 1;
    },

    async markSent(eventId, messageId, owner) {
      const result = await pool.query(
        preparedStatement(
          'notification.mark-sent',
          `UPDATE processed_events
              SET status = 'SENT', message_id = $2, sent_at = now(), last_error = NULL, lease_until = NULL
            WHERE event_id = $1 AND status = 'SENDING' AND owner = $3`,
        ),
        [eventId, messageId, owner],
      );
      return result.rowCount === 1;
    },

    async recordFailure(eventId, error, owner) {
      await pool.query(
        `UPDATE processed_events SET last_error = $2, lease_until = now()
          WHERE event_id = $1 AND status = 'SENDING' AND owner = $3`,
        [eventId, error.slice(0, MAX_ERROR_LENGTH), owner],
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
