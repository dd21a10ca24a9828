-- Up Migration
-- Refunds after completion, and the refund a cancellation made, in minor units.
ALTER TABLE orders ADD COLUMN refunded integer NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= total);

-- Down Migration
ALTER TABLE orders DROP COLUMN refunded;
