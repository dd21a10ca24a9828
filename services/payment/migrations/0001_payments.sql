-- Up Migration

-- One payment per order: the primary key makes authorize idempotent on the order id and
-- turns two concurrent authorizations of one order into one PaymentIntent. A VOIDED row with
-- no intent is a tombstone: the order was compensated before (or without) an authorization,
-- and a late authorize must be refused.
CREATE TABLE payments (
  order_id          text PRIMARY KEY,
  payment_intent_id text UNIQUE,
  status            text NOT NULL,
  amount            bigint NOT NULL,
  currency          text,
  captured          bigint NOT NULL DEFAULT 0,
  refunded          bigint NOT NULL DEFAULT 0,
  payment_method    text,
  customer_id       text,
  decline_code      text,
  -- Stripe's error code for a refused authorization (card_declined, expired_card,
  -- resource_missing ...), so a replay answers exactly what the first attempt answered.
  failure_code      text,
  -- The Idempotency-Key of the authorization, re-sent to Stripe when an interrupted
  -- authorization is settled (Stripe then replays instead of charging again).
  authorize_key     text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payments_status_known CHECK (
    status IN ('AUTHORIZING', 'AUTHORIZED', 'DECLINED', 'CAPTURING', 'CAPTURED', 'VOIDED',
               'PARTIALLY_REFUNDED', 'REFUNDED')
  ),
  CONSTRAINT payments_amount_non_negative CHECK (amount >= 0),
  CONSTRAINT payments_captured_within_amount CHECK (captured >= 0 AND captured <= amount),
  -- Money can never be given back twice: whatever code runs, refunds stay within the capture.
  CONSTRAINT payments_refunded_within_captured CHECK (refunded >= 0 AND refunded <= captured)
);

-- Refunds by the caller's Idempotency-Key. A row without refund_id is a reservation: its
-- amount is held against the refundable balance while Stripe is asked, and settled (refund_id
-- set, payments.refunded increased) once Stripe answers.
CREATE TABLE refunds (
  idempotency_key text PRIMARY KEY,
  order_id        text NOT NULL REFERENCES payments (order_id),
  refund_id       text UNIQUE,
  amount          bigint NOT NULL,
  reason          text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT refunds_amount_positive CHECK (amount > 0)
);

CREATE INDEX refunds_order_id ON refunds (order_id, created_at);

-- Down Migration

DROP TABLE refunds;
DROP TABLE payments;
