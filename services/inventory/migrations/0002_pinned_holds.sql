-- Up Migration

-- A hold the saga is about to capture money against must outlive any delay of that saga (an
-- outage, a backlog): once pinned, the expiry sweep never takes it. The saga that pinned it
-- commits it, or its compensation releases it.
ALTER TABLE reservations ADD COLUMN pinned_at timestamptz;

DROP INDEX reservations_held_expiry;
CREATE INDEX reservations_held_expiry ON reservations (expires_at) WHERE status = 'HELD' AND pinned_at IS NULL;

-- Down Migration

DROP INDEX reservations_held_expiry;
CREATE INDEX reservations_held_expiry ON reservations (expires_at) WHERE status = 'HELD';
ALTER TABLE reservations DROP COLUMN pinned_at;
