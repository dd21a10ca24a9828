-- Up Migration
-- The saga's own state as it last reported it (with each outcome, and when a support request or
-- a refund's fate changes it in the refund window), so `GET /v1/orders/:id` answers a settled
-- order from here instead of querying its workflow, which replays the history on a worker when
-- the saga is not cached. `saga_revision` only grows: a late or retried report never replaces a
-- newer one. NULL for sagas that do not report (started before the worker did).
ALTER TABLE orders ADD COLUMN saga_state jsonb;
ALTER TABLE orders ADD COLUMN saga_revision integer;

-- Down Migration
ALTER TABLE orders DROP COLUMN saga_revision;
ALTER TABLE orders DROP COLUMN saga_state;
