-- Up Migration

-- Pending refunds (reservations Stripe has not confirmed) are few, and read often: by the
-- operator's list, the settle command and every /metrics scrape.
CREATE INDEX refunds_pending ON refunds (created_at) WHERE refund_id IS NULL;

-- Down Migration

DROP INDEX refunds_pending;
