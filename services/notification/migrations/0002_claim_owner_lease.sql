-- Up Migration
-- A claim has an owner and a lease: a consumer that lost its partition in a rebalance (and may
-- still be sending) cannot send the same e-mail as its replacement while its lease holds, and
-- cannot record a send once the replacement has taken the claim over.
ALTER TABLE processed_events ADD COLUMN owner text;
ALTER TABLE processed_events ADD COLUMN lease_until timestamptz;

-- Down Migration
ALTER TABLE processed_events DROP COLUMN lease_until;
ALTER TABLE processed_events DROP COLUMN owner;
