-- Up Migration
-- One row per order event ever seen: the claim that makes e-mailing exactly-once per event id.
CREATE TABLE processed_events (
  event_id   text PRIMARY KEY,
  order_id   text NOT NULL,
  type       text NOT NULL,
  status     text NOT NULL CHECK (status IN ('SENDING', 'SENT', 'SKIPPED')),
  message_id text,
  recipient  text NOT NULL,
  subject    text,
  attempts   integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at    timestamptz,
  CHECK (status <> 'SENT' OR (message_id IS NOT NULL AND sent_at IS NOT NULL))
);

-- Support looks notifications up by order.
CREATE INDEX processed_events_order_id_idx ON processed_events (order_id, created_at);

-- Down Migration
DROP TABLE processed_events;
