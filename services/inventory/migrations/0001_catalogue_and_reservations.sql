-- Up Migration

-- The stock invariants live in the database, so no code path (or concurrent race) can
-- oversell or drive stock negative: a violating UPDATE fails instead.
CREATE TABLE products (
  sku           text PRIMARY KEY,
  name          text NOT NULL,
  unit_price    integer NOT NULL,
  currency      char(3) NOT NULL,
  on_hand       integer NOT NULL,
  reserved      integer NOT NULL DEFAULT 0,
  max_per_order integer NOT NULL DEFAULT 100,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT products_unit_price_non_negative CHECK (unit_price >= 0),
  CONSTRAINT products_on_hand_non_negative CHECK (on_hand >= 0),
  CONSTRAINT products_reserved_non_negative CHECK (reserved >= 0),
  CONSTRAINT products_reserved_within_on_hand CHECK (reserved <= on_hand),
  CONSTRAINT products_max_per_order_positive CHECK (max_per_order > 0)
);

-- One reservation per order: the primary key is what makes reserve idempotent and turns two
-- concurrent requests for the same order into one reservation.
CREATE TABLE reservations (
  order_id   text PRIMARY KEY,
  status     text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reservations_status_known
    CHECK (status IN ('HELD', 'COMMITTED', 'RELEASED', 'EXPIRED', 'RETURNED'))
);

-- The expiry sweep only ever looks for HELD rows past their deadline.
CREATE INDEX reservations_held_expiry ON reservations (expires_at) WHERE status = 'HELD';

CREATE TABLE reservation_items (
  order_id          text NOT NULL REFERENCES reservations (order_id) ON DELETE CASCADE,
  sku               text NOT NULL REFERENCES products (sku),
  quantity          integer NOT NULL,
  unit_price        integer NOT NULL,
  returned_quantity integer NOT NULL DEFAULT 0,
  PRIMARY KEY (order_id, sku),
  CONSTRAINT reservation_items_quantity_positive CHECK (quantity > 0),
  CONSTRAINT reservation_items_returned_within_quantity
    CHECK (returned_quantity >= 0 AND returned_quantity <= quantity)
);

-- Idempotency keys of partial returns, so a retried return never gives stock back twice.
CREATE TABLE inventory_returns (
  idempotency_key text PRIMARY KEY,
  order_id        text NOT NULL REFERENCES reservations (order_id) ON DELETE CASCADE,
  items           jsonb,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE inventory_returns;
DROP TABLE reservation_items;
DROP TABLE reservations;
DROP TABLE products;
