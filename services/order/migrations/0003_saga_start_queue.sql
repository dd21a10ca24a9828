-- Up Migration
-- An accepted order is stored first and its saga started afterwards (saga-starter.ts): the
-- orders without saga_started_at are the queue. Each order records the task queue of the
-- deployment that accepted it, and only that deployment's starters start it. A starter claims a
-- batch for a short lease so two replicas do not start the same sagas (a double start would
-- still be harmless: the workflow id is derived from the order id).
ALTER TABLE orders ADD COLUMN saga_task_queue text;
ALTER TABLE orders ADD COLUMN saga_start_claimed_until timestamptz;
-- The W3C traceparent of the request that accepted the order: its saga starts in that trace.
ALTER TABLE orders ADD COLUMN traceparent text;
CREATE INDEX orders_saga_start_queue_idx ON orders (saga_task_queue, created_at) WHERE saga_started_at IS NULL;

-- Down Migration
DROP INDEX orders_saga_start_queue_idx;
ALTER TABLE orders DROP COLUMN traceparent;
ALTER TABLE orders DROP COLUMN saga_start_claimed_until;
ALTER TABLE orders DROP COLUMN saga_task_queue;
