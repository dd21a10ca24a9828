-- Up Migration

-- Every change to a product row (a hold, a commit, a release, a return, an edit) moves its
-- version, so an absolute write (PUT with If-Match) is refused when anything changed since the
-- writer read it, instead of silently undoing a commit that happened in between. A trigger rather
-- than each UPDATE remembering to do it.
ALTER TABLE products ADD COLUMN version bigint NOT NULL DEFAULT 1;

CREATE FUNCTION products_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END;
$$;

CREATE TRIGGER products_version
  BEFORE UPDATE ON products
  FOR EACH ROW EXECUTE FUNCTION products_next_version();

-- Stock received, counted or written off, as deltas applied in one statement each: safe against
-- concurrent reservations and commits. The key makes a retried adjustment apply once; the rows
-- are the stock's audit trail.
CREATE TABLE stock_adjustments (
  sku             text NOT NULL REFERENCES products (sku),
  idempotency_key text NOT NULL,
  delta           integer NOT NULL,
  reason          text NOT NULL,
  on_hand_after   integer NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sku, idempotency_key),
  CONSTRAINT stock_adjustments_delta_non_zero CHECK (delta <> 0)
);

-- Down Migration

DROP TABLE stock_adjustments;
DROP TRIGGER products_version ON products;
DROP FUNCTION products_next_version();
ALTER TABLE products DROP COLUMN version;
