-- Up Migration
CREATE TABLE orders (
  id uuid PRIMARY KEY,
  customer_id text NOT NULL,
  customer_email text NOT NULL,
  customer_name text,
  -- the client's Idempotency-Key, scoped per customer, and a hash of what it was sent with
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'COMPLETED', 'FAILED', 'CANCELLED')),
  items jsonb NOT NULL,
  currency char(3) NOT NULL,
  total integer NOT NULL CHECK (total >= 0),
  payment_method text NOT NULL,
  status_reason text,
  failure jsonb,
  compensations jsonb NOT NULL DEFAULT '[]',
  saga_started_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at DESC, id DESC);
CREATE INDEX orders_status_created_idx ON orders (status, created_at DESC, id DESC);

-- Down Migration
DROP TABLE orders;
